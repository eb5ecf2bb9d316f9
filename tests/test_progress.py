import io
import sys

from dedup.progress import progress_bar


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bars_show_on_a_terminal_only(monkeypatch):
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert progress_bar(range(2), label="align", unit="pair").disable
    monkeypatch.setattr(sys, "stderr", Terminal())
    assert not progress_bar(range(2), label="align", unit="pair").disable
    assert progress_bar(range(2), label="align", unit="pair", enabled=False).disable


def test_a_long_stage_tells_its_count_and_the_time_left(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    bar = progress_bar(label="align", unit="pair", total=10)
    bar.delay = 0  # the real bars wait two seconds before showing
    bar.update(4)
    bar.refresh()
    shown = terminal.getvalue()
    assert "align" in shown and "4/10" in shown and "pair" in shown and "<" in shown  # elapsed<left
    bar.close()

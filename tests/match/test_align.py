from dedup.match.align import AlignOptions, align_pair, self_repeats
from dedup.sketch.hashing import TokenHasher
from dedup.sketch.shingles import ShingledDocument
from dedup.text.layout import analyze

HASHER = TokenHasher()


SOURCE = (
    "The retaliatory strikes lasted thirty minutes and were successful according to the White House. "
    "They came in response to a drone strike on a military outpost which killed three service members."
)


def prepare(text: str, size: int = 5) -> ShingledDocument:
    layout = analyze(text)
    return ShingledDocument(layout, HASHER.hash(layout.words), size)


def test_verbatim_copy_inside_other_text_gets_exact_spans():
    target = "An unrelated opening line about football scores.\n" + SOURCE + "\nA closing line about weather."
    [passage] = align_pair(prepare(SOURCE), prepare(target))
    assert passage.kind == "copy" and passage.score == 1.0
    assert SOURCE[passage.a_start : passage.a_end] == SOURCE.rstrip(".")
    assert target[passage.b_start : passage.b_end] == SOURCE.rstrip(".")


def test_light_edits_are_bridged_into_one_passage():
    edited = SOURCE.replace("thirty", "30").replace("successful", "a success")
    [passage] = align_pair(prepare(SOURCE), prepare(edited))
    assert passage.kind == "copy" and 0.5 <= passage.score < 1.0
    assert edited[passage.b_start : passage.b_end].startswith("The retaliatory")
    assert edited[passage.b_start : passage.b_end].endswith("three service members")


def test_unrelated_texts_share_nothing():
    other = "Bakers rise early to prepare bread for the morning market, long before the town wakes up."
    assert align_pair(prepare(SOURCE), prepare(other)) == []


def test_passages_shorter_than_min_words_are_dropped():
    a = prepare("We saw the strikes lasted thirty minutes today")
    b = prepare("Reports say the strikes lasted thirty minutes overall")
    assert align_pair(a, b, AlignOptions(min_words=8)) == []
    assert len(align_pair(a, b, AlignOptions(min_words=5))) == 1


def test_shared_quotation_is_a_quote():
    a = prepare("The president said the response “will continue at times and places of our choosing” today.")
    b = prepare("In a statement he warned that strikes “will continue at times and places of our choosing”.")
    [passage] = align_pair(a, b)
    assert passage.kind == "quote"


def test_boilerplate_is_never_reused():
    chrome = "Leave a comment\nThis site uses Akismet to reduce spam. Learn how your comment data is processed.\n"
    assert align_pair(prepare("Story one is about apples.\n" + chrome), prepare("Story two is about pears.\n" + chrome)) == []


def test_repeated_paragraph_inside_a_document():
    paragraph = "Officials told journalists that the goal of the attacks was to stop further attacks on troops."
    text = f"Title Line Here\n{paragraph}\nSomething else entirely happens in between these two.\n{paragraph}\n"
    [repeat] = self_repeats(prepare(text))
    assert text[repeat.a_start : repeat.a_end] == paragraph.rstrip(".")
    assert text[repeat.b_start : repeat.b_end] == paragraph.rstrip(".")
    assert repeat.a_end <= repeat.b_start


def test_phrase_echoed_inside_a_document_is_not_a_repeat():
    text = (
        "The airstrikes on militias in Iraq and Syria began on Friday night.\n"
        "Officials said more airstrikes on militias in Iraq and Syria would follow soon, and more."
    )
    assert self_repeats(prepare(text)) == []


def test_repeat_never_overlaps_itself():
    text = "alpha beta gamma delta epsilon " * 6
    for repeat in self_repeats(prepare(text.strip(), size=3), AlignOptions(min_words=3, line_share=0.0)):
        assert repeat.a_end <= repeat.b_start


def test_a_shared_name_phrase_or_title_is_no_copy_on_its_own():
    names = "U.S. President Donald Trump and Russian President Vladimir Putin"
    a = f"Officials gathered early on Monday. {names} met in Helsinki after weeks of talks."
    b = f"The summit was long awaited by many. {names} met in Helsinki, where reporters waited."
    assert align_pair(prepare(a, 3), prepare(b, 3)) == []
    trailer = "Story Filed By Cox Newspapers For Use By Clients of the New York Times News Service"
    assert align_pair(prepare("A local story about roads. " + trailer), prepare("Weather news today. " + trailer)) == []
    # The same words inside a copied sentence are part of a copy.
    sentence = f"{names} met in Helsinki and agreed to resume talks on arms control within a month."
    [passage] = align_pair(prepare("First line here. " + sentence), prepare(sentence + " Later text."))
    assert passage.kind == "copy"


def test_repeats_inside_a_low_vocabulary_text_are_found_in_bounded_work():
    """200,000 words drawn from 15 make hundreds of thousands of short runs side by side;
    merging them compared each with every passage made so far (minutes). Now each run
    meets the passages still open only."""
    import random
    import signal

    from dedup.sketch.hashing import TokenHasher
    from dedup.sketch.shingles import ShingledDocument
    from dedup.text.layout import analyze

    vocabulary = "the cat sat on a mat and dog ran far away from home very fast".split()
    rng = random.Random(0)
    text = " ".join(rng.choice(vocabulary) for _ in range(200_000))
    layout = analyze(text)
    doc = ShingledDocument(layout, TokenHasher().hash_layout(layout), 5)

    def stop(*_):
        raise AssertionError("self_repeats still running after 120 s: the merge is not bounded")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(120)  # a guard against a wedge (it takes about a second), not a speed limit
    try:
        found = self_repeats(doc)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    for passage in found:
        assert 0 <= passage.a_start < passage.a_end <= passage.b_start < passage.b_end <= len(text)


def test_merging_runs_with_the_open_passages_only_gives_what_comparing_all_gave():
    """The merge's window changes no result: against the plain all-pairs merge, on runs
    drawn at random."""
    import random

    from dedup.match.align import _merge_runs

    def merge_all(runs, max_gap):
        passages = []
        for run in runs:
            best, best_distance = None, None
            for passage in passages:
                gap_a, gap_b = run[0] - passage[1], run[2] - passage[3]
                if -2 <= gap_a <= max_gap + 1 and -2 <= gap_b <= max_gap + 1:
                    distance = abs(gap_a) + abs(gap_b)
                    if best_distance is None or distance < best_distance:
                        best, best_distance = passage, distance
            if best is None:
                passages.append(list(run))
            else:
                best[1], best[3] = max(best[1], run[1]), max(best[3], run[3])
        return passages

    rng = random.Random(1)
    for _ in range(200):
        runs = []
        for _ in range(rng.randint(1, 60)):
            a0, b0, size = rng.randint(0, 300), rng.randint(0, 300), rng.randint(0, 8)
            runs.append([a0, a0 + size, b0, b0 + size])
        runs.sort()
        assert _merge_runs([list(r) for r in runs], 12) == merge_all([list(r) for r in runs], 12)

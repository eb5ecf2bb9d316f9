import pytest

from dedup import ParameterError, ScanConfig


def test_defaults_are_valid_and_listed():
    config = ScanConfig()
    assert config.as_dict()["threshold"] == 0.8
    assert "num_perm" in ScanConfig.names()


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("threshold", 1.5, "The 'threshold' parameter of scan must be a float in (0.0, 1.0]. Got 1.5 instead."),
        ("threshold", 0, "The 'threshold' parameter of scan must be a float in (0.0, 1.0]. Got 0 instead."),
        ("num_perm", 8, "The 'num_perm' parameter of scan must be an int in [16, 1024]. Got 8 instead."),
        ("shingle", 2.5, "The 'shingle' parameter of scan must be an int in [1, 16]. Got 2.5 instead."),
        ("seed", True, "The 'seed' parameter of scan must be an int >= 0. Got True instead."),
    ],
)
def test_out_of_range_settings_name_the_parameter(name, value, message):
    with pytest.raises(ParameterError) as info:
        ScanConfig(**{name: value})
    assert str(info.value) == message
    assert info.value.parameter == name

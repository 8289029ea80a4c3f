"""The examples in the package's docstrings run as shown."""

import doctest
import warnings

import borderline


def test_docstring_examples():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", borderline.BorderlineWarning)
        result = doctest.testmod(borderline, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 10
    assert result.failed == 0

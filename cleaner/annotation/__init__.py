"""Stage 2: framing markers (rules/framing/), entities (rules/entities.yaml), voice and sentiment."""


def compiled() -> bool:
    """Whether the annotation modules run compiled with mypyc (a wheel built where a C compiler was; see
    hatch_build.py) rather than as the Python source; the output is the same, the speed is not."""
    from cleaner.annotation import sentiment_model

    return not sentiment_model.__file__.endswith(".py")


def build() -> str:
    """How the annotation modules run, as `cleaner --version` and the benchmarks print it."""
    return "annotation compiled with mypyc" if compiled() else "annotation in pure Python"

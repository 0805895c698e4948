"""Language identification with langdetect, made deterministic and cheap."""

from __future__ import annotations

import functools

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

# langdetect's defaults read 10,000 characters and run 7 random trials: about 13 ms for an 8 KB
# article here, more than all the cleaning rules together. The first 1,000 characters and 3 trials
# agree with the defaults on the benchmark corpus and the multilingual test texts (benchmarks/,
# tests/data/languages.jsonl) at a ninth of the cost.
SAMPLE_CHARS = 1000
TRIALS = 3
MIN_PROBABILITY = 0.5  # below this the text is mixed or too short to say


@functools.lru_cache(maxsize=1)
def _factory() -> DetectorFactory:
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.seed = 0  # langdetect samples at random: a fixed seed makes the same text give the same answer
    return factory


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (e.g. 'en'), or None when it cannot tell."""
    detector = _factory().create()
    detector.max_text_length = SAMPLE_CHARS
    detector.n_trial = TRIALS
    detector.append(text)
    try:
        ranked = detector.get_probabilities()
    except LangDetectException:
        return None  # no letters to go on (numbers, punctuation, empty)
    if not ranked or ranked[0].prob < MIN_PROBABILITY:
        return None
    return ranked[0].lang

"""`scripts/tuning_experiments.py rater` with the session's extra hidden tastes too
(`reward_model_tastes.py`: NEW, LATE, FINAL), same arguments.
    python docs/notes/2026-12-03-session-33/rater_any_taste.py rater --taste gap_fill ..."""
import sys
from pathlib import Path

sys.path.insert(0, "scripts")
sys.path.insert(0, str(Path(__file__).parent))
import reward_model_tastes as rmt  # noqa: E402
import tuning_experiments as te  # noqa: E402

te.TASTES.update({**rmt.NEW, **rmt.LATE, **rmt.FINAL})
if __name__ == "__main__":
    raise SystemExit(te.main(sys.argv[1:]))

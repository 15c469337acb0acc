import runpy, sys
from tunesmith.sampling import part_writing
part_writing.phrase_cadence_approach = lambda auto, at, vals: None
sys.argv = ["evaluate_musicality.py", "--styles", "chorale", "--split", "valid", "--seeds", "0,1,2", "--model", "new=default", "--json", "/tmp/s27/em_noapproach.json"]
runpy.run_path("scripts/evaluate_musicality.py", run_name="__main__")

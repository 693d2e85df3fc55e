"""Reference side of the hub tests: does huggingface_hub find, offline, what Notebench downloaded?

  find CACHE REPO     print JSON {snapshot: snapshot_download(REPO, local_files_only=True, cache_dir=CACHE),
                      config: the text of config.json through hf_hub_download, warnings: scan_cache_dir's warnings}
"""
import json
import sys

from huggingface_hub import hf_hub_download, scan_cache_dir, snapshot_download


def main():
    cache, repo = sys.argv[2], sys.argv[3]
    snapshot = snapshot_download(repo, local_files_only=True, cache_dir=cache)
    config = open(hf_hub_download(repo, "config.json", local_files_only=True, cache_dir=cache)).read()
    scan = scan_cache_dir(cache)
    files = sorted(f.file_name for r in scan.repos for rev in r.revisions for f in rev.files)
    json.dump({"snapshot": snapshot, "config": config, "warnings": [str(w) for w in scan.warnings], "files": files,
               "refs": sorted(ref for r in scan.repos for rev in r.revisions for ref in rev.refs)}, sys.stdout)


if __name__ == "__main__":
    main()

"""`tunesmith identity`: this installation's signer, and the collaborators' it trusts.

    tunesmith identity                                  # fingerprint and trusted signers
    tunesmith identity --export me.pem                  # the certificate to hand a collaborator
    tunesmith identity --trust ana.pem --name "Ana"     # trust theirs: their takes' records hold
    tunesmith identity --untrust 3f2a9c1e               # no longer

Over `tunesmith.rights.signers`; what a trusted signer changes is in `tunesmith.rights.claims`.
"""

from __future__ import annotations

import argparse

HELP = "show this installation's signing identity; export it, or trust a collaborator's (co-created takes' records)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    act = parser.add_mutually_exclusive_group()
    act.add_argument("--export", metavar="FILE", help="write this installation's certificate (no key) to FILE")
    act.add_argument(
        "--trust", metavar="FILE", help="trust the installation whose exported certificate is FILE (needs --name)"
    )
    act.add_argument(
        "--untrust", metavar="FINGERPRINT", help="stop trusting a signer (8 hex digits of its fingerprint at least)"
    )
    parser.add_argument("--name", help="with --trust: who it is, as `check` will say it")
    parser.add_argument("--force", action="store_true", help="with --export: overwrite FILE if it exists")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def run(args: argparse.Namespace) -> int:
    import json

    from tunesmith.cli import CliError, one_line
    from tunesmith.rights import signers

    if args.name is not None and not args.trust:
        raise CliError("--name goes with --trust FILE")
    if args.force and not args.export:
        raise CliError("--force goes with --export FILE")
    if args.export:
        from pathlib import Path

        from tunesmith.take import check_overwrite

        # as every other writer: an existing file (a collaborator's certificate, say) is kept unless --force
        check_overwrite([Path(args.export)], args.force, hint="--force")
        out = {"exported": args.export, "fingerprint": signers.export_identity(args.export)}
        said = (f"wrote this installation's certificate to {one_line(args.export)} (fingerprint {out['fingerprint']}); "
                "a collaborator trusts it with `tunesmith identity --trust FILE --name NAME`")  # fmt: skip
    elif args.trust:
        if not args.name:
            raise CliError("--trust FILE needs --name NAME: who it is, as `check` will say it")
        out = signers.trust_signer(args.trust, args.name)
        said = (f"{'already trusted; now named' if out['already'] else 'now trusting'} {one_line(out['name'])} "
                f"(fingerprint {out['fingerprint']}): co-created takes it signed keep their musician's notes out of `check`")  # fmt: skip
    elif args.untrust:
        out = signers.untrust_signer(args.untrust)
        said = f"no longer trusting {one_line(out['name'])} (fingerprint {out['fingerprint']})"
    else:
        own = signers.own_identity()
        trusted = signers.load_trust_file()  # a damaged trust file is named here
        out = {"fingerprint": own["fingerprint"],
               "trusted": [{"fingerprint": fp, "name": s["name"], "added": s.get("added")} for fp, s in sorted(trusted.items())]}  # fmt: skip
        lines = [f"this installation signs as {own['fingerprint']}"]
        lines += [f"trusts {one_line(s['name'])} ({s['fingerprint']}, since {s['added']})" for s in out["trusted"]]
        if not out["trusted"]:
            lines.append("trusts no other installation (`tunesmith identity --trust FILE --name NAME`)")
        said = "\n".join(lines)
    print(json.dumps(out) if args.json else said)
    return 0

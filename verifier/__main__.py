"""`actverify` and `python -m verifier`: string hashing fixed first (verifier.seeded: the
command re-executes itself with PYTHONHASHSEED=0), then the CLI."""

from verifier.seeded import fix_hashing


def main() -> None:
    fix_hashing()
    from verifier.cli import main as run_cli
    run_cli()


if __name__ == "__main__":
    main()

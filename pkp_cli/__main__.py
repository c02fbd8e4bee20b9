from pkp_cli.cli.app import run

run()

from pkp_cli.cli.app import main

main()

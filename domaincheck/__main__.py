from domaincheck.cli import main

main()

import MaxhubCLI

await MaxhubCommand.main()

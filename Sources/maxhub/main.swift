import MaxhubCLI

await MaxhubCommand.runAndExit()

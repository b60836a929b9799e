import ArgumentParser

extension MaxhubCommand {
    struct Admin: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Look after a hub: check its blobs, collect what no version uses, back it up, rotate its signing key.",
            discussion: """
                These commands open the hub's stores as maxhub serve does (--data, --database, --blobs and their \
                environment variables), and are safe while the hub serves them.
                """,
            subcommands: [Fsck.self, GarbageCollect.self, Backup.self, Key.self]
        )
    }
}

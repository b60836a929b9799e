import ArgumentParser

extension MaxhubCommand {
    struct Admin: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Look after a hub's data folder: check its blobs, collect what no version uses, back it up.",
            discussion: """
                These commands work on the data folder itself (--data, as maxhub serve takes it), and are safe while \
                the hub serves it.
                """,
            subcommands: [Fsck.self, GarbageCollect.self, Backup.self]
        )
    }
}

import Foundation

/// A real PostgreSQL cluster (the system's `postgresql` package, which `make test` installs), started once per test
/// process on first use: trust authentication on loopback TCP and on a unix socket in its folder. Each test store gets
/// a database of its own (`makeDatabase()`).
///
/// initdb and postgres refuse to run as root, and the tests may run as root: then both run as the `postgres` user
/// (`setpriv`), which owns the cluster's folder. PostgreSQL runs under a small shell that SIGKILLs it and its backends,
/// and removes its folder, as soon as this process is gone: the shell waits on a pipe only this process holds open.
public final class PostgresServer: Sendable {
    public let port: Int
    /// The folder of the server's unix socket (`.s.PGSQL.PORT`).
    public let socketFolder: String
    /// The superuser the tests connect as.
    public let user = "maxhub"
    /// How long the cluster took from `initdb` to accepting connections.
    public let startSeconds: Double
    private let binaries: String
    private let lifeline: FileHandle

    private init(port: Int, socketFolder: String, startSeconds: Double, binaries: String, lifeline: FileHandle) {
        self.port = port
        self.socketFolder = socketFolder
        self.startSeconds = startSeconds
        self.binaries = binaries
        self.lifeline = lifeline
    }

    /// The server of this test process, started on first use.
    public static func shared() async throws -> PostgresServer {
        try await launcher.server()
    }

    /// `database` on this server over TCP, in `maxhub serve --catalog` form.
    /// Connections wait up to 30 s: a test process on a loaded 2-core machine starts many at once.
    public func url(database: String) -> String {
        "postgres://\(user)@127.0.0.1:\(port)/\(database)?connect_timeout=30"
    }

    /// `database` on this server through its unix socket.
    public func socketURL(database: String) -> String {
        "postgres://\(user)@localhost:\(port)/\(database)?host=\(socketFolder)"
    }

    /// A new, empty database no other test uses; returns its name.
    public func makeDatabase() async throws -> String {
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(24)
        try await psql("CREATE DATABASE \(name)")
        return name
    }

    /// Drops a database, closing the connections still open to it.
    public func dropDatabase(_ name: String) async throws {
        try await psql("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// Runs SQL with psql as the superuser in `database`, stopping at the first error; returns what psql printed
    /// (unaligned, tuples only).
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") async throws -> String {
        let arguments = ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", "\(port)", "-U", user, "-d", database, "-c", sql]
        let (status, output) = try await Self.run(binaries + "/psql", arguments)
        guard status == 0 else { throw Failure("psql failed (\(status)) on \(sql): \(output)") }
        return output
    }

    /// Restores a `pg_dump --format=custom` file into `database` with this server's pg_restore.
    public func restore(_ dump: String, into database: String) async throws {
        let arguments = ["--no-owner", "--exit-on-error", "-h", "127.0.0.1", "-p", "\(port)", "-U", user, "-d", database, dump]
        let (status, output) = try await Self.run(binaries + "/pg_restore", arguments)
        guard status == 0 else { throw Failure("pg_restore failed (\(status)): \(output)") }
    }

    /// The folder of PostgreSQL's programs: `MAXHUB_POSTGRES_BIN`, else the newest /usr/lib/postgresql/*/bin.
    static func binaryFolder() throws -> String {
        if let explicit = ProcessInfo.processInfo.environment["MAXHUB_POSTGRES_BIN"] { return explicit }
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .filter { FileManager.default.isExecutableFile(atPath: "\(root)/\($0)/bin/initdb") }
            .sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }
        guard let newest = versions.first else {
            throw Failure("no PostgreSQL under \(root)/*/bin: install the postgresql package (`make test` does)")
        }
        return "\(root)/\(newest)/bin"
    }

    private static let launcher = Launcher()

    private actor Launcher {
        private var starting: Task<PostgresServer, any Error>?

        func server() async throws -> PostgresServer {
            if let starting { return try await starting.value }
            let task = Task { try await PostgresServer.offCooperativeThreads { try PostgresServer.launch() } }
            starting = task
            return try await task.value
        }
    }

    private static func launch() throws -> PostgresServer {
        let binaries = try binaryFolder()
        let folder = try makeTemporaryFolder("maxhub-postgres")
        let data = folder + "/data"
        // As root, the programs run as the postgres user, which must own the folder.
        var asOwner: [String] = []
        if geteuid() == 0 {
            guard let owner = getpwnam("postgres") else {
                throw Failure("the tests run as root, and there is no postgres user to run PostgreSQL as")
            }
            guard chown(folder, owner.pointee.pw_uid, owner.pointee.pw_gid) == 0 else {
                throw Failure("cannot give \(folder) to the postgres user: errno \(errno)")
            }
            asOwner = ["/usr/bin/setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"]
        }
        let start = Date()
        let initdb = asOwner + [
            binaries + "/initdb", "-D", data, "-U", "maxhub", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        ]
        let (status, output) = try runNow(initdb[0], Array(initdb.dropFirst()))
        guard status == 0 else {
            try? FileManager.default.removeItem(atPath: folder)
            throw Failure("initdb failed (\(status)): \(output.suffix(2000))")
        }
        var port = 0
        while port == 0 {
            // Below Linux's ephemeral range (32768 and up), which other tests' outgoing connections draw from.
            let candidate = Int.random(in: 27000..<32700)
            if isFree(candidate) { port = candidate }
        }
        // A throwaway cluster: durability off, room for the many pools parallel tests open, and no shared memory
        // left behind in /dev/shm when it is killed.
        let postgres = asOwner + [
            binaries + "/postgres", "-D", data, "-k", folder, "-p", "\(port)", "-c", "listen_addresses=127.0.0.1",
            "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=500",
            "-c", "dynamic_shared_memory_type=mmap",
        ]
        // The postmaster's backends are its children; its SysV segment (line 7 of postmaster.pid) outlives a SIGKILL.
        let script = """
            "$0" "$@" > "$POSTGRES_LOG" 2>&1 &
            child=$!
            read -r _ || true
            children=$(ps -o pid= --ppid "$child" 2>/dev/null)
            segment=$(sed -n 7p "$POSTGRES_DATA/postmaster.pid" 2>/dev/null | awk '{print $2}')
            kill -9 "$child" $children 2>/dev/null
            wait "$child" 2>/dev/null
            [ -n "$segment" ] && ipcrm -m "$segment" 2>/dev/null
            rm -rf "$POSTGRES_FOLDER"
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script] + postgres
        var environment = ProcessInfo.processInfo.environment
        environment["POSTGRES_LOG"] = folder + "/postgres.log"
        environment["POSTGRES_DATA"] = data
        environment["POSTGRES_FOLDER"] = folder
        process.environment = environment
        let pipe = ToolRun.privatePipe()
        process.standardInput = pipe
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = start.addingTimeInterval(60)
        while try runNow(binaries + "/pg_isready", ["-q", "-h", "127.0.0.1", "-p", "\(port)", "-U", "maxhub", "-d", "postgres"]).status != 0 {
            guard Date() < deadline, process.isRunning else {
                let log = (try? String(contentsOfFile: folder + "/postgres.log", encoding: .utf8)) ?? ""
                throw Failure("PostgreSQL did not start: \(log.suffix(2000))")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return PostgresServer(
            port: port, socketFolder: folder, startSeconds: Date().timeIntervalSince(start), binaries: binaries,
            lifeline: pipe.fileHandleForWriting)
    }

    /// Runs a program to its end on a thread of its own, so that the tests' cooperative threads keep running.
    private static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await offCooperativeThreads { try runNow(executable, arguments) }
    }

    private static func offCooperativeThreads<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Runs a program to its end; returns its exit status and what it printed on stdout and stderr.
    private static func runNow(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let result = try ToolRun.run(executable, arguments)
        return (result.status, result.output)
    }

    private static func isFree(_ port: Int) -> Bool {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

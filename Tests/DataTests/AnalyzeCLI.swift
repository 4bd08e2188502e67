import Foundation
import SmearTestSupport

/// Runs the built `smearscan` executable for end-to-end `analyze` tests.
enum AnalyzeCLI {
    /// The `smearscan` product beside the test bundle.
    static var executable: URL {
        let candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
                          Bundle.main.executableURL?.deletingLastPathComponent()].compactMap { $0 }
        for folder in candidates {
            let url = folder.appendingPathComponent("smearscan")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return SharedData.repositoryRoot.appendingPathComponent(".build/debug/smearscan")
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Starts `smearscan` with `arguments` (stdout and stderr to files in `scratch`).
    static func start(_ arguments: [String], scratch: URL, environment: [String: String] = [:],
                      executable: URL = AnalyzeCLI.executable) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        _ = FileManager.default.createFile(atPath: scratch.appendingPathComponent("stdout").path, contents: nil)
        _ = FileManager.default.createFile(atPath: scratch.appendingPathComponent("stderr").path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: scratch.appendingPathComponent("stdout"))
        process.standardError = try FileHandle(forWritingTo: scratch.appendingPathComponent("stderr"))
        try process.run()
        return process
    }

    /// Runs `smearscan` to the end.
    static func run(_ arguments: [String], scratch: URL, environment: [String: String] = [:],
                    executable: URL = AnalyzeCLI.executable) throws -> Output {
        let process = try start(arguments, scratch: scratch, environment: environment, executable: executable)
        process.waitUntilExit()
        return Output(status: process.terminationStatus,
                      stdout: (try? String(contentsOf: scratch.appendingPathComponent("stdout"), encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: scratch.appendingPathComponent("stderr"), encoding: .utf8)) ?? "")
    }

    /// Every regular file below `folder`, relative path → bytes.
    static func files(in folder: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return out }
        for case let url as URL in enumerator where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            out[String(url.standardizedFileURL.path.dropFirst(folder.standardizedFileURL.path.count + 1))] = try Data(contentsOf: url)
        }
        return out
    }
}

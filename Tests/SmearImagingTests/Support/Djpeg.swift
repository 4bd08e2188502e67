import Foundation

/// Runs libjpeg-turbo's `djpeg` (the reference decoder) and parses its PNM output.
enum Djpeg {
    struct Output {
        var width: Int
        var height: Int
        var channels: Int
        var samples: [UInt8]
    }

    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/djpeg") }

    /// `djpeg -pnm [-scale s] path`, parsed; nil when djpeg fails.
    static func decode(path: String, scale: String? = nil) throws -> Output? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/djpeg")
        process.arguments = ["-pnm"] + (scale.map { ["-scale", $0] } ?? []) + [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return parsePNM([UInt8](data))
    }

    /// Parses binary PGM (P5) or PPM (P6) with maxval 255.
    static func parsePNM(_ bytes: [UInt8]) -> Output? {
        var i = 0
        func token() -> String {
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "#") { while i < bytes.count && bytes[i] != 10 { i += 1 } }
                else if bytes[i] == 32 || bytes[i] == 10 || bytes[i] == 13 || bytes[i] == 9 { i += 1 }
                else { break }
            }
            let start = i
            while i < bytes.count && !(bytes[i] == 32 || bytes[i] == 10 || bytes[i] == 13 || bytes[i] == 9) { i += 1 }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }
        let magic = token()
        guard magic == "P5" || magic == "P6", let w = Int(token()), let h = Int(token()), token() == "255" else { return nil }
        i += 1  // the single whitespace byte before the samples
        let channels = magic == "P6" ? 3 : 1
        guard bytes.count - i == w * h * channels else { return nil }
        return Output(width: w, height: h, channels: channels, samples: Array(bytes[i...]))
    }
}

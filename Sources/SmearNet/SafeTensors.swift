import Foundation

/// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON
/// header mapping each tensor name to `dtype`, `shape` and `data_offsets` (relative to the
/// data that follows), an optional `"__metadata__"` string map, then the raw
/// little-endian data. SmearScan stores `F32` only.
public enum SafeTensors {
    /// Largest header accepted, so a corrupt length cannot make the reader allocate wildly.
    static let maximumHeaderBytes = 16 << 20

    /// Parses and checks a whole file's bytes; every problem names `file` and the tensor.
    public static func decode(_ data: Data, file: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        func fail(_ reason: String, _ tensor: String? = nil) -> ModelFileError {
            ModelFileError(file: file, tensor: tensor, reason: reason)
        }
        guard data.count >= 8 else { throw fail("truncated: \(data.count) bytes, too short for the 8-byte header length") }
        let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(maximumHeaderBytes) else { throw fail("header length \(headerLength) is implausibly large") }
        guard headerLength <= UInt64(data.count - 8) else {
            throw fail("truncated: header of \(headerLength) bytes but only \(data.count - 8) follow")
        }
        let headerStart = data.startIndex + 8, dataStart = headerStart + Int(headerLength)
        guard let header = try? JSONSerialization.jsonObject(with: data[headerStart..<dataStart]) as? [String: Any] else {
            throw fail("header is not a JSON object")
        }
        let dataSize = data.count - 8 - Int(headerLength)
        var metadata: [String: String] = [:]
        var extents: [(name: String, begin: Int, end: Int)] = []
        var entries: [(name: String, shape: [Int], begin: Int)] = []
        for (name, value) in header {
            if name == "__metadata__" {
                guard let map = value as? [String: String] else { throw fail("__metadata__ must map strings to strings") }
                metadata = map
                continue
            }
            guard let entry = value as? [String: Any] else { throw fail("entry is not an object", name) }
            guard let dtype = entry["dtype"] as? String else { throw fail("no dtype", name) }
            guard dtype == "F32" else { throw fail("dtype \(dtype), expected F32", name) }
            guard let shape = (entry["shape"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  shape.count == (entry["shape"] as? [Any])?.count, shape.allSatisfy({ $0 >= 0 }) else {
                throw fail("shape must be a list of non-negative integers", name)
            }
            guard let offsets = (entry["data_offsets"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  offsets.count == 2 else {
                throw fail("data_offsets must be two integers", name)
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end else { throw fail("data_offsets [\(begin), \(end)] are reversed or negative", name) }
            guard end <= dataSize else {
                throw fail("data_offsets end \(end) is past the end of the data (\(dataSize) bytes; file truncated?)", name)
            }
            var count = 1
            for extent in shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: extent)
                // Bounded so that `count * 4` below cannot overflow.
                guard !overflow, product <= Int.max / 4 else { throw fail("shape \(shape) is too large", name) }
                count = product
            }
            guard end - begin == count * 4 else {
                throw fail("shape \(shape) needs \(count * 4) bytes but data_offsets span \(end - begin)", name)
            }
            extents.append((name, begin, end))
            entries.append((name, shape, begin))
        }
        extents.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        for (previous, next) in zip(extents, extents.dropFirst()) where next.begin < previous.end && next.end > next.begin {
            throw fail("data_offsets overlap tensor '\(previous.name)'", next.name)
        }
        var tensors: [String: Tensor] = [:]
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let base = raw.baseAddress! + 8 + Int(headerLength)
            for entry in entries {
                let count = entry.shape.reduce(1, *)
                var scalars = [Float](repeating: 0, count: count)
                for i in 0..<count {
                    let bits = UInt32(littleEndian: (base + entry.begin + 4 * i).loadUnaligned(as: UInt32.self))
                    let value = Float(bitPattern: bits)
                    guard value.isFinite else {
                        throw fail("value \(i) is \(value.isNaN ? "NaN" : "infinite")", entry.name)
                    }
                    scalars[i] = value
                }
                tensors[entry.name] = Tensor(shape: entry.shape, scalars: scalars)
            }
        }
        return (tensors, metadata)
    }

    /// Encodes tensors (sorted by name, packed in that order) and optional metadata.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) -> Data {
        var header = "{"
        var parts: [String] = []
        if !metadata.isEmpty {
            let items = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            parts.append("\"__metadata__\":{\(items.joined(separator: ","))}")
        }
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            let tensor = tensors[name]!
            let bytes = tensor.count * 4
            parts.append("\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(tensor.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + bytes)]}")
            offset += bytes
        }
        header += parts.joined(separator: ",") + "}"
        // Pad with spaces so the data starts 8-byte aligned, as the reference writer does.
        while (header.utf8.count % 8) != 0 { header += " " }
        var data = Data(capacity: 8 + header.utf8.count + offset)
        var length = UInt64(header.utf8.count).littleEndian
        withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
        data.append(contentsOf: Array(header.utf8))
        for name in names {
            tensors[name]!.scalars.withUnsafeBufferPointer { values in
                var littleEndian = values.map { $0.bitPattern.littleEndian }
                littleEndian.withUnsafeMutableBytes { data.append(contentsOf: $0) }
            }
        }
        return data
    }

    private static func jsonString(_ string: String) -> String {
        let encoded = try! JSONEncoder().encode(string)
        return String(decoding: encoded, as: UTF8.self)
    }
}

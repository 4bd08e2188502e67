import Foundation
@testable import SmearNet
import SmearKernels
import SmearTestSupport

/// Plain, obviously-correct Double implementations of each layer (NHWC, batch first) and
/// helpers for comparing them with SmearNet's Float kernels.
enum Reference {
    static func conv(
        _ x: [Float], batch: Int, _ g: ConvGeometry, weight: [Float], bias: [Float]?
    ) -> [Double] {
        let (oh, ow, cout, cg, og) = (g.outputHeight, g.outputWidth, g.outputChannels, g.groupInputChannels, g.groupOutputChannels)
        var out = [Double](repeating: 0, count: batch * oh * ow * cout)
        for n in 0..<batch {
            for oy in 0..<oh {
                for ox in 0..<ow {
                    for co in 0..<cout {
                        let group = co / og
                        var sum = Double(bias?[co] ?? 0)
                        for ky in 0..<g.kernelHeight {
                            for kx in 0..<g.kernelWidth {
                                let iy = oy * g.strideY - g.paddingY + ky, ix = ox * g.strideX - g.paddingX + kx
                                guard iy >= 0, iy < g.inputHeight, ix >= 0, ix < g.inputWidth else { continue }
                                for ci in 0..<cg {
                                    let xv = x[((n * g.inputHeight + iy) * g.inputWidth + ix) * g.inputChannels + group * cg + ci]
                                    let wv = weight[((co * g.kernelHeight + ky) * g.kernelWidth + kx) * cg + ci]
                                    sum += Double(xv) * Double(wv)
                                }
                            }
                        }
                        out[((n * oh + oy) * ow + ox) * cout + co] = sum
                    }
                }
            }
        }
        return out
    }

    static func pool(_ x: [Float], batch: Int, _ g: ConvGeometry, max isMax: Bool) -> [Double] {
        let (oh, ow, c) = (g.outputHeight, g.outputWidth, g.inputChannels)
        var out = [Double](repeating: 0, count: batch * oh * ow * c)
        for n in 0..<batch {
            for oy in 0..<oh {
                for ox in 0..<ow {
                    for ch in 0..<c {
                        var best = -Double.infinity, sum = 0.0, cells = 0
                        for ky in 0..<g.kernelHeight {
                            for kx in 0..<g.kernelWidth {
                                let iy = oy * g.strideY - g.paddingY + ky, ix = ox * g.strideX - g.paddingX + kx
                                guard iy >= 0, iy < g.inputHeight, ix >= 0, ix < g.inputWidth else { continue }
                                let v = Double(x[((n * g.inputHeight + iy) * g.inputWidth + ix) * c + ch])
                                best = Swift.max(best, v)
                                sum += v
                                cells += 1
                            }
                        }
                        out[((n * oh + oy) * ow + ox) * c + ch] = isMax ? best : sum / Double(cells)
                    }
                }
            }
        }
        return out
    }

    static func activation(_ x: [Double], _ kind: Activation) -> [Double] {
        x.map { d in
            switch kind {
            case .identity: return d
            case .relu: return Swift.max(d, 0)
            case .relu6: return Swift.min(Swift.max(d, 0), 6)
            case .silu: return d / (1 + exp(-d))
            }
        }
    }

    /// Normwise relative error `max|a − b| / max|b|`.
    static func relativeError(_ a: [Float], _ b: [Double]) -> Double {
        precondition(a.count == b.count, "sizes \(a.count) vs \(b.count)")
        var diff = 0.0, scale = 1e-12
        for (x, y) in zip(a, b) {
            diff = Swift.max(diff, abs(Double(x) - y))
            scale = Swift.max(scale, abs(y))
        }
        return diff / scale
    }
}

/// Random data for tests.
struct RandomData {
    var generator: SeededGenerator

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    mutating func floats(_ count: Int, in range: ClosedRange<Float> = -1...1) -> [Float] {
        (0..<count).map { _ in Float.random(in: range, using: &generator) }
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}

extension Layer {
    /// Runs `forward` on plain arrays.
    func run(_ inputs: [[Float]], batch: Int, training: Bool = false) -> [Float] {
        let context = ExecutionContext()
        context.training = training
        var output = [Float](repeating: .nan, count: batch * outputShape.count)
        let pointers = inputs.map { array -> UnsafeMutablePointer<Float> in
            let p = UnsafeMutablePointer<Float>.allocate(capacity: array.count)
            p.initialize(from: array, count: array.count)
            return p
        }
        defer { pointers.forEach { $0.deallocate() } }
        output.withUnsafeMutableBufferPointer { out in
            forward(pointers.map { UnsafePointer($0) }, output: out.baseAddress!, batch: batch, context: context)
        }
        return output
    }
}

import Testing
@testable import SmearTraining

@Suite("Optimisers, schedule and clipping against hand-computed steps")
struct OptimizerTests {
    /// Runs `optimizer` on a one-value parameter with the given gradients; returns the values after each step.
    static func run<O: Optimizer>(_ optimizer: inout O, start: Float, gradients: [Float], lr: Float, decay: Bool = true) -> [Float] {
        var p = [start]
        var trace: [Float] = []
        for g in gradients {
            optimizer.beginStep()
            let grad = [g]
            p.withUnsafeMutableBufferPointer { values in
                grad.withUnsafeBufferPointer { optimizer.update(slot: 0, values: values, gradients: $0, learningRate: lr, decay: decay) }
            }
            trace.append(p[0])
        }
        return trace
    }

    static func close(_ a: [Float], _ b: [Double], _ tolerance: Double = 1e-6) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs(Double($0) - $1) <= tolerance }
    }

    @Test("SGD with momentum, with Nesterov, with weight decay")
    func sgd() {
        var plain = SGD(momentum: 0.9, nesterov: false)
        #expect(Self.close(Self.run(&plain, start: 1, gradients: [0.5, 0.5], lr: 0.1), [0.95, 0.855]))
        var nesterov = SGD(momentum: 0.9, nesterov: true)
        #expect(Self.close(Self.run(&nesterov, start: 1, gradients: [0.5, 0.5], lr: 0.1), [0.905, 0.7695]))
        var decayed = SGD(momentum: 0, nesterov: false, weightDecay: 0.1)
        #expect(Self.close(Self.run(&decayed, start: 1, gradients: [0.5], lr: 0.1), [0.94]))
        var exempt = SGD(momentum: 0, nesterov: false, weightDecay: 0.1)
        #expect(Self.close(Self.run(&exempt, start: 1, gradients: [0.5], lr: 0.1, decay: false), [0.95]))
    }

    @Test("AdamW with bias correction and decoupled decay")
    func adamW() {
        var adam = AdamW(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01)
        #expect(Self.close(Self.run(&adam, start: 1, gradients: [0.5, -0.25], lr: 0.1), [0.899000002, 0.8714672987]))
        #expect(adam.steps == 2)
    }

    @Test("Saved state resumes bit for bit")
    func stateRoundTrip() throws {
        var a = AdamW()
        _ = Self.run(&a, start: 1, gradients: [0.3, -0.1], lr: 0.01)
        var b = AdamW()
        try b.restore(a.state)
        #expect(b.state == a.state)
        #expect(Self.run(&a, start: 0.5, gradients: [0.2], lr: 0.01) == Self.run(&b, start: 0.5, gradients: [0.2], lr: 0.01))
        var s = SGD()
        #expect(throws: OptimizerStateError.self) { try s.restore(a.state) }
        var t = SGD()
        _ = Self.run(&t, start: 1, gradients: [0.3], lr: 0.1)
        try s.restore(t.state)
        #expect(Self.run(&s, start: 0, gradients: [1], lr: 0.1) == Self.run(&t, start: 0, gradients: [1], lr: 0.1))
    }

    @Test("Warm-up then cosine decay to the floor")
    func schedule() {
        let s = LearningRateSchedule(baseRate: 1, warmupSteps: 2, totalSteps: 6, floorFraction: 0)
        #expect(s.rate(at: 0) == 0.5 && s.rate(at: 1) == 1 && s.rate(at: 2) == 1)
        #expect(abs(s.rate(at: 4) - 0.5) < 1e-12)
        #expect(abs(s.rate(at: 6)) < 1e-12 && abs(s.rate(at: 60)) < 1e-12)
        let floored = LearningRateSchedule(baseRate: 1, warmupSteps: 2, totalSteps: 6, floorFraction: 0.1)
        #expect(abs(floored.rate(at: 4) - 0.55) < 1e-12 && abs(floored.rate(at: 6) - 0.1) < 1e-12)
    }

    @Test("Clipping by global norm")
    func clipping() {
        var a: [Float] = [3], b: [Float] = [4]
        a.withUnsafeMutableBufferPointer { pa in
            b.withUnsafeMutableBufferPointer { pb in
                #expect(GradientClipping.clip([pa, pb], maxNorm: 10) == 5)
                #expect(pa[0] == 3 && pb[0] == 4)
                #expect(GradientClipping.clip([pa, pb], maxNorm: 1) == 5)
            }
        }
        #expect(abs(a[0] - 0.6) < 1e-7 && abs(b[0] - 0.8) < 1e-7)
    }
}

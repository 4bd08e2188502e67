/// Chooses which slides to hold out, by patient, stratified by diagnosis, from a seed.
///
/// Cells of one patient look alike, so a patient's slides are either all held out or all
/// trained on; every diagnosis gets a share of the held-out slides proportional to its
/// share of slides (largest remainder, at least one each when there are enough), so both
/// AML and APL are in the held-out set.
public enum PatientSplit {
    /// One slide to split: its name, patient and diagnosis.
    public struct Slide: Sendable, Hashable {
        public var name: String
        public var patient: String
        public var diagnosis: String
        public init(name: String, patient: String, diagnosis: String) {
            self.name = name
            self.patient = patient
            self.diagnosis = diagnosis
        }
    }

    /// The names of the held-out slides (sorted). `heldOut` is a target: a patient with
    /// several slides can take a diagnosis one or two slides past its share.
    public static func heldOutSlides(_ slides: [Slide], heldOut: Int, seed: UInt64) -> [String] {
        guard heldOut > 0, !slides.isEmpty else { return [] }
        let diagnoses = Array(Set(slides.map(\.diagnosis))).sorted()
        let quotas = stratifiedQuotas(counts: diagnoses.map { d in slides.filter { $0.diagnosis == d }.count },
                                      total: min(heldOut, slides.count))
        var chosen: [String] = []
        for (index, diagnosis) in diagnoses.enumerated() {
            let group = slides.filter { $0.diagnosis == diagnosis }
            var patients = Array(Set(group.map(\.patient))).sorted()
            var random = SplitMix64(seed: seed, stream: UInt64(index))
            random.shuffle(&patients)
            var taken = 0
            for patient in patients where taken < quotas[index] {
                let patientSlides = slides.filter { $0.patient == patient }.map(\.name)
                chosen += patientSlides
                taken += patientSlides.count
            }
        }
        return Array(Set(chosen)).sorted()
    }

    /// Splits `total` over groups of the given sizes in proportion (largest remainder),
    /// giving every non-empty group at least one when `total` allows.
    static func stratifiedQuotas(counts: [Int], total: Int) -> [Int] {
        var quotas = LargestRemainder.apportion(total, weights: counts.map(Double.init))
        let nonEmpty = counts.filter { $0 > 0 }.count
        if total >= nonEmpty {
            for i in counts.indices where counts[i] > 0 && quotas[i] == 0 {
                // Take one from the largest quota so the total stays put.
                if let donor = quotas.indices.max(by: { quotas[$0] < quotas[$1] }), quotas[donor] > 1 {
                    quotas[donor] -= 1; quotas[i] = 1
                }
            }
        }
        return zip(quotas, counts).map { min($0, $1) }
    }
}

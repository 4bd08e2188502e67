/// The cell classes SmearScan recognises, and the counting rules a differential needs.
///
/// Class names are the strings models and outputs use (`"blast"`, `"neutrophil"` …); models
/// list them in their own output order, this type only says what each one means for counting.
public enum CellClass: String, CaseIterable, Sendable, Codable {
    case blast
    case promyelocyte
    case immatureGranulocyte = "immature_granulocyte"
    case neutrophil
    case lymphocyte
    case variantLymphocyte = "variant_lymphocyte"
    case monocyte
    case eosinophil
    case basophil
    case plasmaCell = "plasma_cell"
    case erythroblast
    case smudge
    case platelet

    /// Whether the class enters the leukocyte differential (its denominator).
    /// Erythroblasts are reported per 100 leukocytes; smudge cells and platelets are
    /// counted but stay outside the differential.
    public var isCountedLeukocyte: Bool {
        switch self {
        case .erythroblast, .smudge, .platelet: return false
        default: return true
        }
    }

    /// Whether the class counts as a blast (promonocytes are mapped to `blast` by the
    /// label map, as blast equivalents).
    public var isBlast: Bool { self == .blast }

    /// The classes of the leukocyte differential, in canonical order.
    public static let countedLeukocytes: [CellClass] = allCases.filter(\.isCountedLeukocyte)
}

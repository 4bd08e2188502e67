import SmearPipeline

/// The state of one slide flag.
public enum FlagState: String, Sendable, Codable {
    /// The condition holds.
    case raised
    /// The condition does not hold.
    case clear
    /// A share's whole 95% interval is at or above the threshold.
    case above
    /// A share's whole 95% interval is below the threshold.
    case below
    /// A share's 95% interval straddles the threshold.
    case indeterminate

    /// Whether a reviewer should look at the slide because of this state.
    public var needsAttention: Bool { self != .clear && self != .below }
}

/// One flag on a slide, with the numbers behind it.
public struct SlideFlag: Sendable, Equatable {
    /// Stable identifier, e.g. `blasts_who_threshold`.
    public var name: String
    public var state: FlagState
    /// One human sentence with the figures.
    public var message: String
    /// The numbers the decision used (counts, percentages, interval, threshold).
    public var values: [String: JSONValue]

    public var json: JSONValue {
        var object = values
        object["state"] = .string(state.rawValue)
        object["message"] = .string(message)
        return .object(object)
    }
}

/// Turns a slide's counts into flags.
///
/// Blast-threshold flags compare the Wilson 95% interval, not the point estimate, with the
/// threshold: a slide is "above" or "below" only when the interval says so, otherwise
/// "indeterminate" (count more cells). The promyelocyte flag uses the point estimate so a
/// possible APL is raised as early as possible.
public enum SlideFlags {
    /// The flags of a slide, in a fixed order. `scale` is the slide's measured scale (nil
    /// when it was given, or when no image size had enough images to measure).
    public static func evaluate(counts: SlideCounts, imagesAnalyzed: Int, imagesBlurred: Int,
                                parameters: AnalysisParameters, scale: SlideScale? = nil) -> [SlideFlag] {
        [
            blastsPresent(counts),
            blastThreshold(counts, name: "blasts_who_threshold", body: "WHO", percent: parameters.whoBlastPercent),
            blastThreshold(counts, name: "blasts_icc_threshold", body: "ICC", percent: parameters.iccBlastPercent),
            promyelocytes(counts, percent: parameters.promyelocytePercent),
            fewLeukocytes(counts, minimum: parameters.minimumLeukocytes),
            lowConfidence(counts, parameters: parameters),
            blurred(imagesAnalyzed: imagesAnalyzed, imagesBlurred: imagesBlurred, parameters: parameters),
            scaleUncertain(given: parameters.scaleMicronsPerPixel, measured: scale, imagesAnalyzed: imagesAnalyzed),
        ]
    }

    /// Raised when the scale was neither given nor measured from pooled lone red cells for
    /// every image size the slide sampled: then it rests on each image's own estimate, which
    /// crowded fields (red cells in chains and clumps) put off by up to half, and every size
    /// rule and crop follows it. (Sizes too rare to sample, such as one overview scan filed
    /// with a slide's cells, are estimated alone and do not raise it.)
    static func scaleUncertain(given: Double?, measured: SlideScale?, imagesAnalyzed: Int) -> SlideFlag {
        let minimum = SlideScale.minimumRedCells
        if let given {
            return SlideFlag(name: "scale_uncertain", state: .clear,
                             message: ScaleDescription.statement(given: given, measured: nil) + ".",
                             values: ["source": .string("given"), "um_per_px": .number(given)])
        }
        let groups = measured?.groups ?? []
        let pooled = groups.filter { $0.redCells >= minimum }
        let raised = imagesAnalyzed > 0 && (groups.isEmpty || pooled.count < groups.count)
        let message: String
        if imagesAnalyzed == 0 {
            message = "No image analysed: no scale was needed."
        } else if raised {
            message = "Scale estimated image by image: fewer than \(minimum) lone red cells were found to pool"
                + (groups.isEmpty ? "" : " for " + groups.filter { $0.redCells < minimum }.map { "\($0.width)×\($0.height) images" }
                    .joined(separator: ", "))
                + "; sizes and crops may be off. Give --scale if the scanner's µm per pixel is known."
        } else {
            message = ScaleDescription.statement(given: nil, measured: measured) + "."
        }
        return SlideFlag(name: "scale_uncertain", state: raised ? .raised : .clear, message: message, values: [
            "source": .string("estimated"),
            "minimum_red_cells": .int(minimum),
            "red_cells_pooled": .array(groups.map { .int($0.redCells) }),
        ])
    }

    static func blastsPresent(_ counts: SlideCounts) -> SlideFlag {
        let blasts = counts.blasts
        return SlideFlag(
            name: "blasts_present", state: blasts > 0 ? .raised : .clear,
            message: blasts > 0 ? "\(blasts) blast\(blasts == 1 ? "" : "s") counted among \(counts.leukocytes) leukocytes."
                                : "No blasts counted among \(counts.leukocytes) leukocytes.",
            values: ["blasts": .int(blasts), "leukocytes_counted": .int(counts.leukocytes)])
    }

    static func blastThreshold(_ counts: SlideCounts, name: String, body: String, percent: Double) -> SlideFlag {
        let interval = counts.blastInterval
        let state: FlagState
        let message: String
        if let blastPercent = counts.blastPercent {
            let position = interval.position(relativeTo: percent / 100)
            state = FlagState(rawValue: position.rawValue)!
            let range = "\(percentText(blastPercent)) (95% CI \(percentText(100 * interval.lower))–\(percentText(100 * interval.upper)))"
            switch position {
            case .above: message = "Blasts \(range): at or above the \(body) \(percentText(percent)) threshold."
            case .below: message = "Blasts \(range): below the \(body) \(percentText(percent)) threshold."
            case .indeterminate: message = "Blasts \(range): the interval straddles the \(body) \(percentText(percent)) threshold; count more cells."
            }
        } else {
            state = .indeterminate
            message = "No leukocytes counted: the \(body) \(percentText(percent)) threshold cannot be assessed."
        }
        return SlideFlag(name: name, state: state, message: message, values: [
            "threshold_percent": .number(percent),
            "blasts": .int(counts.blasts),
            "leukocytes_counted": .int(counts.leukocytes),
            "blast_percent": counts.blastPercent.map(JSONValue.number) ?? .null,
            "blast_percent_ci95": .array([.number(100 * interval.lower), .number(100 * interval.upper)]),
        ])
    }

    static func promyelocytes(_ counts: SlideCounts, percent: Double) -> SlideFlag {
        let count = counts.perClass[.promyelocyte]!
        let share = counts.differentialPercent(.promyelocyte)
        let raised = share.map { $0 >= percent } ?? false
        let interval = counts.differentialInterval(.promyelocyte)
        let message = share.map {
            "Promyelocytes \(percentText($0)) of leukocytes (\(count) of \(counts.leukocytes)); "
                + (raised ? "at or above \(percentText(percent)): rule out acute promyelocytic leukaemia urgently."
                          : "below \(percentText(percent)).")
        } ?? "No leukocytes counted: the promyelocyte share cannot be assessed."
        return SlideFlag(name: "promyelocytes_high", state: raised ? .raised : .clear, message: message, values: [
            "threshold_percent": .number(percent),
            "promyelocytes": .int(count),
            "leukocytes_counted": .int(counts.leukocytes),
            "promyelocyte_percent": share.map(JSONValue.number) ?? .null,
            "promyelocyte_percent_ci95": .array([.number(100 * interval.lower), .number(100 * interval.upper)]),
        ])
    }

    static func fewLeukocytes(_ counts: SlideCounts, minimum: Int) -> SlideFlag {
        let raised = counts.leukocytes < minimum
        return SlideFlag(
            name: "few_leukocytes", state: raised ? .raised : .clear,
            message: raised ? "Only \(counts.leukocytes) leukocytes counted; a reliable differential needs at least \(minimum)."
                            : "\(counts.leukocytes) leukocytes counted (at least \(minimum) needed).",
            values: ["leukocytes_counted": .int(counts.leukocytes), "minimum": .int(minimum)])
    }

    static func lowConfidence(_ counts: SlideCounts, parameters: AnalysisParameters) -> SlideFlag {
        let share = counts.cellsCounted > 0 ? 100 * Double(counts.lowConfidence) / Double(counts.cellsCounted) : 0
        let raised = counts.cellsCounted > 0 && share >= parameters.lowConfidencePercent
        return SlideFlag(
            name: "many_low_confidence_cells", state: raised ? .raised : .clear,
            message: "\(counts.lowConfidence) of \(counts.cellsCounted) counted cells (\(percentText(share))) have a top probability below \(DecimalFormat.trimmed(parameters.lowConfidence, decimals: 3))"
                + (raised ? "; review them in the gallery." : "."),
            values: [
                "low_confidence_cells": .int(counts.lowConfidence),
                "cells_counted": .int(counts.cellsCounted),
                "percent": .number(share),
                "threshold_percent": .number(parameters.lowConfidencePercent),
                "confidence_below": .number(parameters.lowConfidence),
            ])
    }

    static func blurred(imagesAnalyzed: Int, imagesBlurred: Int, parameters: AnalysisParameters) -> SlideFlag {
        let share = imagesAnalyzed > 0 ? 100 * Double(imagesBlurred) / Double(imagesAnalyzed) : 0
        let raised = imagesAnalyzed > 0 && share >= parameters.blurredPercent
        return SlideFlag(
            name: "many_blurred_images", state: raised ? .raised : .clear,
            message: "\(imagesBlurred) of \(imagesAnalyzed) images (\(percentText(share))) are out of focus"
                + (raised ? "; classifications may be unreliable." : "."),
            values: [
                "blurred_images": .int(imagesBlurred),
                "images_analyzed": .int(imagesAnalyzed),
                "percent": .number(share),
                "threshold_percent": .number(parameters.blurredPercent),
                "focus_below": .number(parameters.blurFocusThreshold),
            ])
    }

    /// "23.1%": one decimal, for messages.
    static func percentText(_ percent: Double) -> String {
        DecimalFormat.fixed(percent, decimals: 1) + "%"
    }
}

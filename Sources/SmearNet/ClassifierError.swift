/// A classifier that cannot be set up as asked (one line, for the command line).
public struct ClassifierError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

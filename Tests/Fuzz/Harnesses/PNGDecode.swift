// libFuzzer harness: PNG decoding (every colour type, depth, interlace, chunk) and header
// reading. Built and run by .ci/fuzz; libpng itself is not instrumented.
import SmearImaging

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNGDecode(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzInput(data, size).rest
    checkDecode(bytes, options: DecodeOptions(maxMegapixels: FuzzLimits.maxMegapixels))
    do { _ = try ImageDecoder.info(data: bytes, path: "<fuzz>") } catch { checkError(error, path: "<fuzz>") }
    return 0
}

/// Thrown from inside an `RGBImage(unsafeUninitializedBytes:)` body when the C decoder
/// failed: the buffer is then released without being written, so a header declaring a
/// huge image costs no resident memory (filling it with zeros just to discard it would
/// touch every page). The decoder reports its own `ImageError` instead.
struct AbandonedPixels: Error {}

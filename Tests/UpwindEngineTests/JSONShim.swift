import Foundation

/// JSON decoding for tests (Foundation stays out of the core).
enum JSONDecoderShim {
    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

import Testing
import UpwindAttribution

@Test("the attribution module records its conventions version")
func conventionsVersion() {
    #expect(UpwindAttribution.conventionsVersion == 1)
}

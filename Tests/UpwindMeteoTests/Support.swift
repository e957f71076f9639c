/// |a − b| ≤ tolerance.
func close(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool { abs(a - b) <= tolerance }
func close(_ a: Float, _ b: Double, _ tolerance: Double) -> Bool { abs(Double(a) - b) <= tolerance }

// Trajectory and attribution formats (adapters around Core types).

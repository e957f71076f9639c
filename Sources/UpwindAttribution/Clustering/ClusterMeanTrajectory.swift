/// One endpoint of a cluster-mean trajectory.
public struct ClusterMeanPoint: Sendable, Equatable {
    /// Age, h (the clustered trajectories' common ages).
    public var ageHours: Double
    /// Latitude, degrees north, of the mean of the members' unit vectors at this age projected
    /// back onto the sphere (NaN if that mean is the zero vector).
    public var latitude: Double
    /// Longitude, degrees east in [−180, 180), of the same point.
    public var longitude: Double
    /// Mean height above ground of the members at this age, m.
    public var heightAGL: Double

    /// Creates a mean endpoint.
    public init(ageHours: Double, latitude: Double, longitude: Double, heightAGL: Double) {
        self.ageHours = ageHours
        self.latitude = latitude
        self.longitude = longitude
        self.heightAGL = heightAGL
    }
}

/// The mean trajectory of one cluster.
public struct ClusterMeanTrajectory: Sendable, Equatable {
    /// Cluster number, 1 … k.
    public var cluster: Int
    /// Trajectories in the cluster.
    public var trajectoryCount: Int
    /// One mean endpoint per common age.
    public var points: [ClusterMeanPoint]

    /// Creates a mean trajectory.
    public init(cluster: Int, trajectoryCount: Int, points: [ClusterMeanPoint]) {
        self.cluster = cluster
        self.trajectoryCount = trajectoryCount
        self.points = points
    }
}

extension TwinExperiment {
    /// A monitoring station of the twin: one per prefecture-level city of Henan.
    public struct Station: Sendable, Equatable {
        /// The site id written to the observations CSV: the city's name in pinyin, e.g. `Zhengzhou`.
        public var id: String
        /// The city's Chinese name, e.g. `郑州`.
        public var name: String
        /// The city's six-digit administrative code, e.g. `410100` (济源 `419001`).
        public var adcode: String
        /// Latitude, degrees north.
        public var latitude: Double
        /// Longitude, degrees east.
        public var longitude: Double

        /// Creates a station.
        public init(id: String, name: String, adcode: String, latitude: Double, longitude: Double) {
            self.id = id; self.name = name; self.adcode = adcode; self.latitude = latitude; self.longitude = longitude
        }
    }

    /// The 18 stations, at the seats of the city governments of Henan's 17 prefecture-level
    /// cities and 济源 (a sub-prefecture-level city), in administrative-code order.
    ///
    /// Coordinates are those of the municipal government seats as public gazetteers give them
    /// (WGS-84, to 1e-4°, good to about 2 km); each was checked offline to lie in its city's
    /// polygon of `henan-prefectures.geojson` (and in one of its urban districts in
    /// `henan-counties.geojson`).
    public static let stations: [Station] = [
        Station(id: "Zhengzhou", name: "郑州", adcode: "410100", latitude: 34.7466, longitude: 113.6254),
        Station(id: "Kaifeng", name: "开封", adcode: "410200", latitude: 34.7971, longitude: 114.3074),
        Station(id: "Luoyang", name: "洛阳", adcode: "410300", latitude: 34.6197, longitude: 112.4540),
        Station(id: "Pingdingshan", name: "平顶山", adcode: "410400", latitude: 33.7662, longitude: 113.1928),
        Station(id: "Anyang", name: "安阳", adcode: "410500", latitude: 36.0976, longitude: 114.3931),
        Station(id: "Hebi", name: "鹤壁", adcode: "410600", latitude: 35.7475, longitude: 114.2974),
        Station(id: "Xinxiang", name: "新乡", adcode: "410700", latitude: 35.3030, longitude: 113.9268),
        Station(id: "Jiaozuo", name: "焦作", adcode: "410800", latitude: 35.2159, longitude: 113.2418),
        Station(id: "Puyang", name: "濮阳", adcode: "410900", latitude: 35.7619, longitude: 115.0292),
        Station(id: "Xuchang", name: "许昌", adcode: "411000", latitude: 34.0357, longitude: 113.8523),
        Station(id: "Luohe", name: "漯河", adcode: "411100", latitude: 33.5816, longitude: 114.0165),
        Station(id: "Sanmenxia", name: "三门峡", adcode: "411200", latitude: 34.7726, longitude: 111.2003),
        Station(id: "Nanyang", name: "南阳", adcode: "411300", latitude: 32.9907, longitude: 112.5283),
        Station(id: "Shangqiu", name: "商丘", adcode: "411400", latitude: 34.4141, longitude: 115.6564),
        Station(id: "Xinyang", name: "信阳", adcode: "411500", latitude: 32.1470, longitude: 114.0913),
        Station(id: "Zhoukou", name: "周口", adcode: "411600", latitude: 33.6260, longitude: 114.6969),
        Station(id: "Zhumadian", name: "驻马店", adcode: "411700", latitude: 32.9802, longitude: 114.0220),
        Station(id: "Jiyuan", name: "济源", adcode: "419001", latitude: 35.0671, longitude: 112.6022),
    ]
}

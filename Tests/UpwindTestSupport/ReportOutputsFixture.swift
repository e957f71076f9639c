import Foundation

/// A small, hand-made set of the files `upwind hotspots` writes (issue 12's report tests): three
/// stations, one of them with the hostile id `A&B<"x">`, three square counties (one Chinese
/// name), two square provinces, four fires (two reached hotspots), a 2×3 grid, three 24-hour
/// back trajectories in two clusters, and `run.json` naming the observations and the provinces
/// by paths inside the folder, and the event ensemble of a `--ensemble events` run. Every count a test compares with is a constant here.
public enum ReportOutputsFixture {
    /// The hostile site id, escaped wherever it is embedded.
    public static let hostileSite = "A&B<\"x\">"
    /// Station ids in observation order.
    public static let sites = ["Zhengzhou", hostileSite, "Luoyang"]
    /// Number of `events.csv` rows.
    public static let events = 3
    /// Number of `regions.csv` rows and `regions.geojson` features.
    public static let regions = 3
    /// Number of `fires.csv` rows, and of those with `matched_events` > 0.
    public static let fires = 4, firesReachingHotspots = 2
    /// Number of `grid.csv` rows, all with endpoints and finite WPSCF and WCWT.
    public static let gridCells = 6
    /// Number of trajectories (25 hourly endpoints each, ages 0…−24 h).
    public static let trajectories = 3
    /// Age ticks every 12 h (ages −12 and −24) per trajectory.
    public static let ageTicksPerTrajectory = 2
    /// Number of provinces (the home one is 410000).
    public static let provinces = 2
    /// The top county's name.
    public static let topCounty = "鲁山县"

    /// Writes every file into `folder` (which must exist).
    /// - Parameter omitting: file names not to write.
    /// - Throws: Foundation's error when a file cannot be written.
    public static func write(into folder: String, omitting: Set<String> = []) throws {
        let base = URL(fileURLWithPath: folder)
        func put(_ name: String, _ text: String) throws {
            guard !omitting.contains(name) else { return }
            try Data(text.utf8).write(to: base.appendingPathComponent(name))
        }
        try FileManager.default.createDirectory(at: base.appendingPathComponent("inputs"), withIntermediateDirectories: true)
        try put("inputs/observations.csv", """
            site,latitude,longitude,time,value
            Zhengzhou,34.75,113.62,2025-10-11T06:00:00Z,120
            "A&B<""x"">",34.0,113.0,2025-10-11T06:00:00Z,90
            Luoyang,34.62,112.45,2025-10-11T06:00:00Z,30

            """)
        try put("inputs/provinces.geojson", """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"adcode":"410000","name":"河南省"},"geometry":{"type":"Polygon","coordinates":[[[111,32],[116,32],[116,36],[111,36],[111,32]]]}},
            {"type":"Feature","properties":{"adcode":"420000","name":"湖北省"},"geometry":{"type":"Polygon","coordinates":[[[111,30],[116,30],[116,32],[111,32],[111,30]]]}}
            ]}

            """)
        try put("events.csv", """
            site,event,start_time,end_time,hours,peak_value,mean_value,criterion
            Zhengzhou,1,2025-10-11T06:00:00Z,2025-10-11T09:00:00Z,4,140.5,110.25,value>75
            Zhengzhou,2,2025-10-12T06:00:00Z,2025-10-12T07:00:00Z,2,90,85,value>75
            "A&B<""x"">",1,2025-10-13T06:00:00Z,2025-10-13T06:00:00Z,1,91,91,value>75

            """)
        try put("regions.csv", """
            rank,id,name,polluted_share,residence_h,polluted_residence_h,enhancement_ratio,pscf,wpscf,cwt,wcwt,fire_score,fire_count,n_endpoints,n_trajectories,rank_low,rank_high
            1,410423,鲁山县,0.6,30,12,2.5,0.4,0.4,80,70,900.5,2,30,3,1,1
            2,410102,"Zhong, ""yuan"" <district>",0.4,20,8,1.5,0.3,0.3,60,50,0,0,20,2,2,3
            3,410103,二七区,0,10,0,0,0,0,30,20,,,10,1,,

            """)
        try put("regions.geojson", """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"adcode":"410102","name":"Zhong, \\"yuan\\" <district>","id":"410102","rank":2,"polluted_share":0.4},"geometry":{"type":"Polygon","coordinates":[[[113,34.5],[114,34.5],[114,35],[113,35],[113,34.5]]]}},
            {"type":"Feature","properties":{"adcode":"410103","name":"二七区","id":"410103","rank":3,"polluted_share":0},"geometry":{"type":"Polygon","coordinates":[[[113,34],[114,34],[114,34.5],[113,34.5],[113,34]]]}},
            {"type":"Feature","properties":{"adcode":"410423","name":"鲁山县","id":"410423","rank":1,"polluted_share":0.6},"geometry":{"type":"MultiPolygon","coordinates":[[[[112,33.5],[113,33.5],[113,34],[112,34],[112,33.5]],[[112.2,33.6],[112.4,33.6],[112.4,33.8],[112.2,33.8],[112.2,33.6]]]]}}
            ]}

            """)
        try put("fires.csv", """
            fire_id,latitude,longitude,time,frp_mw,confidence,region_id,region_name,matched_trajectories,matched_events,score
            7,33.7,112.6,2025-10-11T05:30:00Z,40.5,n,410423,鲁山县,3,2,600.25
            8,33.8,112.8,2025-10-11T05:30:00Z,10,h,410423,鲁山县,2,1,300.25
            9,32.5,115,2025-10-11T05:30:00Z,80,n,,,1,0,0
            10,32.4,115.1,2025-10-12T05:30:00Z,5,l,,,0,0,0

            """)
        try put("fire_events.csv", """
            site,event,start_time,end_time,peak_value,trajectories,fire_score
            Zhengzhou,1,2025-10-11T06:00:00Z,2025-10-11T09:00:00Z,140.5,2,700.5
            Zhengzhou,2,2025-10-12T06:00:00Z,2025-10-12T07:00:00Z,90,1,200
            "A&B<""x"">",1,2025-10-13T06:00:00Z,2025-10-13T06:00:00Z,91,0,0

            """)
        try put("event_ensemble.csv", """
            site,event,members,spread_km_24h,fire_matched_share,top_region_id,top_region_share
            Zhengzhou,1,27,41.25,0.6296,410423,0.625
            Zhengzhou,2,27,120.5,0.1111,410102,0.4
            "A&B<""x"">",1,0,,,,

            """)
        try put("fire_trajectories.csv", """
            trajectory,site,arrival_time,height_m,value,polluted,fire_score,fires
            1,Zhengzhou,2025-10-11T06:00:00Z,100,120,true,700.5,2

            """)
        try put("outside_home.csv", """
            id,name,polluted_residence_h,polluted_share,is_home
            410000,河南省,16,0.8,true
            420000,湖北省,4,0.2,false

            """)
        var grid = "latitude,longitude,n_endpoints,n_polluted,n_trajectories,residence,pscf,w_pscf,wpscf,cwt,w_cwt,wcwt,seibert\n"
        for (k, lat) in [33.75, 34.25].enumerated() {
            for (j, lon) in [112.25, 112.75, 113.25].enumerated() {
                let w = Double(k * 3 + j) / 10
                grid += "\(lat),\(lon),\(10 + k),\(k + j),3,0.1,\(w),1,\(w),\(50 + 10 * j),1,\(50 + 10 * j),\(50 + 10 * j)\n"
            }
        }
        try put("grid.csv", grid)
        var trajectories = "trajectory,site,member,start_time,start_latitude,start_longitude,start_height_m,time,age_h,latitude,longitude,height_agl_m,pressure_hpa,termination\n"
        let starts: [(Int, String, Double, Double, Double)] = [(1, "Zhengzhou", 34.75, 113.62, 100), (2, "\"A&B<\"\"x\"\">\"", 34.0, 113.0, 500),
                                                               (3, "Zhengzhou", 34.75, 113.62, 1000)]
        for (id, site, lat, lon, h) in starts {
            for age in 0...24 {
                let hour = 6 - age
                let day = 11 + (hour < 0 ? -1 : 0) - (hour < -24 ? 1 : 0)
                let hh = (hour % 24 + 24) % 24
                let time = String(format: "2025-10-%02dT%02d:00:00Z", day, hh)
                trajectories += "\(id),\(site),0,2025-10-11T06:00:00Z,\(lat),\(lon),\(h),\(time),\(-Double(age)),\(lat - 0.04 * Double(age)),\(lon - 0.06 * Double(age)),\(h),900.0,"
                    + (id == 2 ? "leftDomain" : "completed") + "\n"
            }
        }
        try put("trajectories.csv", trajectories)
        try put("clusters.csv", "trajectory,cluster\n1,1\n2,2\n3,1\n")
        var means = "cluster,age_h,latitude,longitude,height_agl_m\n"
        for c in 1...2 {
            for age in 0...24 { means += "\(c),\(-age),\(34.5 - 0.04 * Double(age)),\(113.5 - 0.06 * Double(age)),500\n" }
        }
        try put("cluster_means.csv", means)
        try put("cluster_summary.csv", "cluster,n,share_pct,mean_value\n1,2,66.67,110\n2,1,33.33,91\n")
        try put("tsv.csv", "clusters,tsv,change_pct\n1,1000,50\n2,500,0\n")
        try put("run.json", """
            {
              "command": "hotspots",
              "version": "0.1.0",
              "settings": {
                "met": ["met/era5_20251010.nc", "met/era5_20251011.nc"],
                "observations": "inputs/observations.csv",
                "pollutant": "PM2.5",
                "hotspot_threshold": 75,
                "heights": [100, 500, 1000],
                "hours": -24,
                "every": "3h",
                "ensemble": "events",
                "ensemble_event_starts": 2,
                "ensemble_event_members": 54,
                "trajectories_computed": 3,
                "resolution": 0.5,
                "criterion": "75",
                "regions": "inputs/counties.geojson",
                "fires": "inputs/firms.csv",
                "home_regions": "inputs/provinces.geojson",
                "home_region": "410000",
                "rank_by": "polluted_share",
                "bootstrap": 20,
                "polluted_residence_outside_home_share": 0.2
              },
              "inputs": [{"path": "inputs/observations.csv", "sha256": "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"}],
              "outputs": ["events.csv", "regions.csv", "run.json"]
            }

            """)
    }
}

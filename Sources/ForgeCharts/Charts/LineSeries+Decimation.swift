extension LineSeries {
    /// The series thinned to about `maximumPoints` points for drawing, keeping its shape.
    ///
    /// Consecutive points are grouped into `maximumPoints / 2` buckets and each bucket keeps its lowest and
    /// highest point (in their original order), so spikes survive; a bucket that held a NaN or infinite value
    /// keeps a gap after its points. Series already short enough are returned unchanged. Use it before
    /// charting long metric histories (100 000 steps) so reports stay small and fast to open.
    /// - Parameter maximumPoints: The point budget (at least 4).
    public func decimated(maximumPoints: Int) -> LineSeries {
        precondition(maximumPoints >= 4, "LineSeries.decimated: maximumPoints \(maximumPoints) must be at least 4")
        guard points.count > maximumPoints else { return self }
        let bucketCount = maximumPoints / 2
        let bucketSize = (points.count + bucketCount - 1) / bucketCount
        var kept: [ChartPoint] = []
        kept.reserveCapacity(maximumPoints + bucketCount)
        var start = 0
        while start < points.count {
            let end = min(points.count, start + bucketSize)
            var lowest: Int?
            var highest: Int?
            var hasGap = false
            for index in start..<end {
                let point = points[index]
                guard point.x.isFinite, point.y.isFinite else {
                    hasGap = true
                    continue
                }
                if lowest.map({ point.y < points[$0].y }) ?? true { lowest = index }
                if highest.map({ point.y > points[$0].y }) ?? true { highest = index }
            }
            if let lowest, let highest {
                for index in Set([lowest, highest]).sorted() { kept.append(points[index]) }
            }
            if hasGap { kept.append(ChartPoint(x: .nan, y: .nan)) }
            start = end
        }
        var copy = self
        copy.points = kept
        return copy
    }
}

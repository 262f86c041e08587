/// Non-dominated sorting and crowding distances over loss vectors (every objective minimized), as in
/// Deb et al., "A fast and elitist multiobjective genetic algorithm: NSGA-II", IEEE TEC 6(2), 2002.
enum ParetoRanking {
    /// Whether loss vector `a` dominates `b`: no worse everywhere and better somewhere.
    @inline(__always)
    static func dominates(_ a: [Double], _ b: [Double]) -> Bool {
        var strictlyBetter = false
        for index in a.indices {
            if a[index] > b[index] { return false }
            if a[index] < b[index] { strictlyBetter = true }
        }
        return strictlyBetter
    }

    /// The front index of every point (0 = non-dominated), by the fast non-dominated sort (O(M N²)).
    static func ranks(_ losses: [[Double]]) -> [Int] {
        let count = losses.count
        var dominatedBy = [[Int]](repeating: [], count: count)  // points each point dominates
        var dominationCount = [Int](repeating: 0, count: count)
        for a in 0..<count {
            for b in (a + 1)..<max(count, a + 1) {
                if dominates(losses[a], losses[b]) {
                    dominatedBy[a].append(b)
                    dominationCount[b] += 1
                } else if dominates(losses[b], losses[a]) {
                    dominatedBy[b].append(a)
                    dominationCount[a] += 1
                }
            }
        }
        var ranks = [Int](repeating: 0, count: count)
        var front = (0..<count).filter { dominationCount[$0] == 0 }
        var rank = 0
        while !front.isEmpty {
            var next: [Int] = []
            for point in front {
                ranks[point] = rank
                for dominated in dominatedBy[point] {
                    dominationCount[dominated] -= 1
                    if dominationCount[dominated] == 0 { next.append(dominated) }
                }
            }
            front = next
            rank += 1
        }
        return ranks
    }

    /// The crowding distance of each point of one front (`members` index into `losses`), aligned with
    /// `members`: the boundary points of every objective get infinity.
    static func crowdingDistances(_ losses: [[Double]], members: [Int]) -> [Double] {
        var distances = [Double](repeating: 0, count: members.count)
        guard members.count > 2, let objectives = losses.first?.count else {
            return [Double](repeating: .infinity, count: members.count)
        }
        for objective in 0..<objectives {
            let order = members.indices.sorted { losses[members[$0]][objective] < losses[members[$1]][objective] }
            let low = losses[members[order[0]]][objective]
            let high = losses[members[order[order.count - 1]]][objective]
            distances[order[0]] = .infinity
            distances[order[order.count - 1]] = .infinity
            guard high > low else { continue }
            for position in 1..<(order.count - 1) {
                let gap = losses[members[order[position + 1]]][objective] - losses[members[order[position - 1]]][objective]
                distances[order[position]] += gap / (high - low)
            }
        }
        return distances
    }

    /// All points ordered best first: by front, then by crowding distance (larger first), then by index.
    static func order(_ losses: [[Double]]) -> [Int] {
        let ranks = ranks(losses)
        var crowding = [Double](repeating: 0, count: losses.count)
        let frontCount = (ranks.max() ?? -1) + 1
        var fronts = [[Int]](repeating: [], count: frontCount)
        for (index, rank) in ranks.enumerated() { fronts[rank].append(index) }
        for front in fronts {
            for (position, distance) in crowdingDistances(losses, members: front).enumerated() {
                crowding[front[position]] = distance
            }
        }
        return losses.indices.sorted {
            if ranks[$0] != ranks[$1] { return ranks[$0] < ranks[$1] }
            if crowding[$0] != crowding[$1] { return crowding[$0] > crowding[$1] }
            return $0 < $1
        }
    }
}

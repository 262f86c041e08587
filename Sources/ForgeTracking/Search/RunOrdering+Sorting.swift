extension RunOrdering {
    /// Sorts runs by `orderings`, then by start time descending and run id (MLflow's default order).
    ///
    /// Runs lacking a sort key go last whatever the direction; NaN metrics sort after numbers.
    public static func sort(_ runs: [Run], by orderings: [RunOrdering]) -> [Run] {
        runs.sorted { left, right in
            for ordering in orderings {
                let a = sortable(RunFilter.value(of: ordering.field, in: left))
                let b = sortable(RunFilter.value(of: ordering.field, in: right))
                switch (a, b) {
                case (nil, nil): continue
                case (nil, _): return false
                case (_, nil): return true
                case (let a?, let b?):
                    if let order = compare(a, b) {
                        if order == 0 { continue }
                        return ordering.ascending ? order < 0 : order > 0
                    }
                }
            }
            if left.info.startTime != right.info.startTime { return left.info.startTime > right.info.startTime }
            return left.info.id < right.info.id
        }
    }

    /// A NaN metric sorts like a missing one: last in either direction.
    private static func sortable(_ value: FilterValue?) -> FilterValue? {
        if case .number(let number)? = value, number.isNaN { return nil }
        return value
    }

    /// -1, 0 or 1 comparing two values: numbers numerically (numeric text too), other text lexically.
    static func compare(_ a: FilterValue, _ b: FilterValue) -> Int? {
        if let x = a.numericValue, let y = b.numericValue {
            return x < y ? -1 : (x > y ? 1 : 0)
        }
        if case .string(let x) = a, case .string(let y) = b { return x < y ? -1 : (x > y ? 1 : 0) }
        return nil
    }
}

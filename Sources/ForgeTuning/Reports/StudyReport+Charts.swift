import ForgeCharts
import Foundation

extension StudyReport {
    /// The size of the history and parallel-coordinates charts.
    static let wideChart = ChartSize(width: 900, height: 420)
    /// The size of one slice plot.
    static let sliceChart = ChartSize(width: 420, height: 300)

    func addCharts(to document: inout HTMLDocument) {
        if view.isMultiObjective {
            if let front = paretoChart() {
                document.addFigure(front, caption: "Completed trials on the first two objectives; Pareto front marked")
            }
            return
        }
        document.addHeading("Optimization history")
        document.addFigure(historyChart(), caption: "Objective of each completed trial, and the best so far")
        if let intermediate = intermediateValuesChart() {
            document.addFigure(intermediate, caption: "Values reported with trial.report(_:step:), one line per trial")
        }
        guard !parameterNames.isEmpty, !completedTrials.isEmpty else { return }
        document.addHeading("Parameters")
        document.addFigure(
            parallelCoordinatesChart(),
            caption: "One line per completed trial, coloured by "
                + "\(objectiveName) (yellow is best)")
        switch importanceChart() {
        case .success(let chart?):
            document.addHeading("Parameter importances", level: 3)
            document.addFigure(
                chart, caption: "Share of the \(objectiveName) variation each parameter explains on its own (fANOVA)")
        case .success(nil):
            break
        case .failure(let error):
            document.addNote("Parameter importances are not available: \(error)")
        }
        document.addHeading("Parameter slices", level: 3)
        document.addFigureGrid(parameterNames.compactMap(sliceFigure))
    }

    /// Objective per completed trial (dots) and the best value so far (line), over trial numbers.
    func historyChart() -> LineChart {
        var x: [Double] = []
        var y: [Double] = []
        var bestX: [Double] = []
        var bestY: [Double] = []
        var best: Double?
        for trial in completedTrials {
            guard let value = trial.value else { continue }
            x.append(Double(trial.number))
            y.append(value)
            if best.map({ view.direction.isBetter(value, than: $0) }) ?? true { best = value }
            bestX.append(Double(trial.number))
            bestY.append(best ?? value)
        }
        let values = y.filter(\.isFinite)
        let logarithmic = (values.min() ?? 0) > 0 && (values.max() ?? 0) / (values.min() ?? 1) >= 1000
        return LineChart(
            title: "Optimization history",
            series: [
                LineSeries(name: objectiveName, x: x, y: y, drawsLine: false),
                LineSeries(name: "best so far", x: bestX, y: bestY, color: ChartColor.series(3)),
            ],
            xAxis: ChartAxis("trial"), yAxis: ChartAxis(objectiveName, scale: logarithmic ? .logarithmic : .linear),
            size: Self.wideChart)
    }

    /// Reported intermediate values, one line per trial, or nil when no trial reported any.
    func intermediateValuesChart() -> LineChart? {
        let reporting = view.allTrials.filter { !$0.intermediateValues.isEmpty }
        guard !reporting.isEmpty else { return nil }
        let series = reporting.map { trial in
            let steps = trial.intermediateValues.keys.sorted()
            return LineSeries(
                name: "trial \(trial.number)", x: steps.map(Double.init),
                y: steps.map { trial.intermediateValues[$0] ?? .nan })
        }
        return LineChart(
            title: "Intermediate values", series: series, xAxis: ChartAxis("step"), yAxis: ChartAxis(objectiveName),
            showsLegend: series.count <= 12, size: Self.wideChart)
    }

    /// Parallel coordinates of every parameter, coloured by the objective (best yellow).
    func parallelCoordinatesChart() -> ParallelCoordinatesChart {
        let names = parameterNames
        let axes = names.map { name in Self.axis(named: name, distribution: distribution(of: name)) }
        let records = completedTrials.map { trial in
            let params = trial.params
            return ParallelRecord(
                values: zip(names, axes).map { name, axis in Self.value(params[name], on: axis) },
                objective: trial.value ?? .nan, label: "trial \(trial.number)")
        }
        return ParallelCoordinatesChart(
            title: "Parallel coordinates", axes: axes, records: records, objectiveName: objectiveName,
            colorScale: view.direction == .minimize ? ColorScale.viridis.reversed : .viridis, size: Self.wideChart)
    }

    /// Parameter importances by fANOVA as horizontal bars, most important on top; nil when fewer than two
    /// trials completed (nothing to explain yet), an error when the estimate fails.
    func importanceChart() -> Result<BarChart?, TuningError> {
        guard completedTrials.count >= 2 else { return .success(nil) }
        do throws(TuningError) {
            let importances = try view.parameterImportances()
            guard !importances.isEmpty else { return .success(nil) }
            let bars = importances.map { Bar(label: $0.name, value: $0.importance) }
            let height = max(160, 70 + 34 * Double(bars.count))
            return .success(
                BarChart(
                    title: "Parameter importances", bars: bars, valueAxis: ChartAxis("importance"),
                    orientation: .horizontal, size: ChartSize(width: 640, height: height)))
        } catch {
            return .failure(error)
        }
    }

    /// The objective against one parameter: a scatter coloured by trial number for numbers, the best objective
    /// per choice for categories.
    func sliceFigure(_ name: String) -> HTMLDocument.Figure? {
        let trials = completedTrials.filter { $0.params[name] != nil }
        guard !trials.isEmpty else { return nil }
        switch distribution(of: name) {
        case .categorical(let categorical):
            let bars = categorical.choices.map { choice -> Bar in
                let values = trials.filter { $0.params[name] == choice }.compactMap(\.value)
                let best = view.direction == .minimize ? values.min() : values.max()
                return Bar(label: Self.format(choice), value: best ?? .nan)
            }
            return HTMLDocument.Figure(
                BarChart(title: name, bars: bars, valueAxis: ChartAxis("best \(objectiveName)"), size: Self.sliceChart),
                caption: "Best \(objectiveName) for each choice of \(name)")
        case let distribution:
            let isLog: Bool
            switch distribution {
            case .float(let float): isLog = float.log
            case .int(let int): isLog = int.log
            default: isLog = false
            }
            let x = trials.map { $0.params[name]?.doubleValue ?? .nan }
            let y = trials.map { $0.value ?? .nan }
            let chart = ScatterChart(
                title: name,
                series: [ScatterSeries(name: name, x: x, y: y, colorValues: trials.map { Double($0.number) })],
                xAxis: ChartAxis(name, scale: isLog ? .logarithmic : .linear), yAxis: ChartAxis(objectiveName),
                colorTitle: "trial", size: Self.sliceChart)
            return HTMLDocument.Figure(chart, caption: "\(objectiveName) against \(name)")
        }
    }

    /// Completed trials on the first two objectives, the Pareto front in a second colour.
    func paretoChart() -> ScatterChart? {
        guard view.directions.count >= 2 else { return nil }
        let front = Set(view.paretoFront.map(\.number))
        let trials = completedTrials
        func series(_ name: String, _ members: [FrozenTrial], _ color: ChartColor) -> ScatterSeries {
            ScatterSeries(
                name: name, x: members.map { $0.values?[0] ?? .nan }, y: members.map { $0.values?[1] ?? .nan },
                color: color)
        }
        return ScatterChart(
            title: "Pareto front",
            series: [
                series("trials", trials.filter { !front.contains($0.number) }, ChartColor.series(0)),
                series("Pareto front", trials.filter { front.contains($0.number) }, ChartColor.series(2)),
            ],
            xAxis: ChartAxis(objectiveNames[0]), yAxis: ChartAxis(objectiveNames[1]), size: Self.wideChart)
    }

    /// The distribution a parameter was drawn from (the latest trial's, as distributions are fixed per study).
    func distribution(of name: String) -> Distribution? {
        view.allTrials.last { $0.distributions[name] != nil }?.distributions[name]
    }

    static func axis(named name: String, distribution: Distribution?) -> ParallelAxis {
        switch distribution {
        case .float(let float):
            return .numeric(name, scale: float.log ? .logarithmic : .linear)
        case .int(let int):
            return .numeric(name, scale: int.log ? .logarithmic : .linear)
        case .categorical(let categorical):
            return .categorical(name, labels: categorical.choices.map(format))
        case nil:
            return .numeric(name)
        }
    }

    /// A parameter value placed on its axis: a number on a numeric axis, its label on a categorical one
    /// (so categorical numbers such as batch sizes stay categories).
    static func value(_ parameter: ParameterValue?, on axis: ParallelAxis) -> ParallelValue {
        guard let parameter else { return .missing }
        switch axis.kind {
        case .numeric: return parameter.doubleValue.map(ParallelValue.number) ?? .missing
        case .categorical: return .category(format(parameter))
        }
    }
}

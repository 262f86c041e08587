import Foundation

/// Encodes TensorBoard's protobuf messages and TFRecord framing (field numbers from tensorboard's
/// `event.proto`, `summary.proto` and `plugins/hparams/{api,plugin_data}.proto`).
enum TensorBoardEncoding {
    /// The `file_version` every event file starts with.
    static let fileVersion = "brain.Event:2"

    /// Frames one record: uint64 length, masked CRC-32C of the length, data, masked CRC-32C of the data.
    static func record(_ data: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(data.count + 16)
        let length = withUnsafeBytes(of: UInt64(data.count).littleEndian) { Array($0) }
        output += length
        appendLittleEndian(CRC32C.masked(CRC32C.checksum(length)), to: &output)
        output += data
        appendLittleEndian(CRC32C.masked(CRC32C.checksum(data)), to: &output)
        return output
    }

    /// `Event{wall_time=1, step=2, file_version=3 | summary=5}` with proto3 defaults omitted.
    static func event(wallTime: Double, step: Int64, fileVersion: String? = nil, summary: [UInt8]? = nil) -> [UInt8] {
        var writer = ProtobufWriter()
        if wallTime != 0 { writer.writeDouble(1, wallTime) }
        if step != 0 { writer.writeInt(2, step) }
        if let fileVersion { writer.writeString(3, fileVersion) }
        if let summary { writer.writeBytes(5, summary) }
        return writer.bytes
    }

    /// `Summary{value=1: Value{tag=1, simple_value=2}}`.
    static func scalarSummary(tag: String, value: Float) -> [UInt8] {
        var writer = ProtobufWriter()
        writer.writeMessage(1) { entry in
            entry.writeString(1, tag)
            entry.writeFloat(2, value)
        }
        return writer.bytes
    }

    /// `Summary{value=1: Value{tag=1, tensor=8 (empty float tensor), metadata=9: SummaryMetadata{plugin_data=1:
    /// PluginData{plugin_name=1 "hparams", content=2}}}}`, the shape TensorBoard's hparams summaries have.
    static func hparamsSummary(tag: String, pluginContent: [UInt8]) -> [UInt8] {
        var writer = ProtobufWriter()
        writer.writeMessage(1) { value in
            value.writeString(1, tag)
            // TensorProto{dtype=1: DT_FLOAT, tensor_shape=2: {dim=2: {}}}: hparams' NULL_TENSOR.
            value.writeBytes(8, [0x08, 0x01, 0x12, 0x02, 0x12, 0x00])
            value.writeMessage(9) { metadata in
                metadata.writeMessage(1) { pluginData in
                    pluginData.writeString(1, "hparams")
                    pluginData.writeBytes(2, pluginContent)
                }
            }
        }
        return writer.bytes
    }

    /// `HParamsPluginData{experiment=2: Experiment{time_created_secs=3, hparam_infos=4, metric_infos=5}}`.
    static func hparamsExperiment(
        hyperparameters: [(name: String, value: TensorBoardHyperparameter)], metricTags: [String], timeCreated: Double
    ) -> [UInt8] {
        var writer = ProtobufWriter()
        writer.writeMessage(2) { experiment in
            if timeCreated != 0 { experiment.writeDouble(3, timeCreated) }
            for (name, value) in hyperparameters {
                experiment.writeMessage(4) { info in
                    info.writeString(1, name)
                    info.writeInt(4, value.dataType)  // HParamInfo.type
                }
            }
            for tag in metricTags {
                experiment.writeMessage(5) { info in
                    info.writeMessage(1) { name in name.writeString(2, tag) }  // MetricName{tag=2}
                }
            }
        }
        return writer.bytes
    }

    /// `HParamsPluginData{session_start_info=3: {hparams=1 map<string, Value>, start_time_secs=5}}`.
    static func hparamsSessionStart(
        hyperparameters: [(name: String, value: TensorBoardHyperparameter)], startTime: Double
    ) -> [UInt8] {
        var writer = ProtobufWriter()
        writer.writeMessage(3) { start in
            for (name, value) in hyperparameters {
                start.writeMessage(1) { entry in
                    entry.writeString(1, name)
                    entry.writeMessage(2) { protoValue in value.encode(into: &protoValue) }
                }
            }
            if startTime != 0 { start.writeDouble(5, startTime) }
        }
        return writer.bytes
    }

    /// `HParamsPluginData{session_end_info=4: {status=1, end_time_secs=2}}`.
    static func hparamsSessionEnd(status: Int64, endTime: Double) -> [UInt8] {
        var writer = ProtobufWriter()
        writer.writeMessage(4) { end in
            if status != 0 { end.writeInt(1, status) }
            if endTime != 0 { end.writeDouble(2, endTime) }
        }
        return writer.bytes
    }

    private static func appendLittleEndian(_ value: UInt32, to output: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { output.append(contentsOf: $0) }
    }
}

/// A hyperparameter value as TensorBoard's hparams plugin stores it (a `google.protobuf.Value`).
public enum TensorBoardHyperparameter: Sendable, Hashable {
    /// A number (`number_value`).
    case number(Double)
    /// Text (`string_value`).
    case string(String)
    /// A Boolean (`bool_value`).
    case bool(Bool)

    /// Reads a Forge parameter's text: `true`/`false` become Booleans, numbers become numbers, the rest text.
    public init(parameter text: String) {
        if text == "true" || text == "false" {
            self = .bool(text == "true")
        } else if let number = Double(text), number.isFinite {
            self = .number(number)
        } else {
            self = .string(text)
        }
    }

    /// The hparams `DataType` enum: STRING 1, BOOL 2, FLOAT64 3.
    var dataType: Int64 {
        switch self {
        case .string: return 1
        case .bool: return 2
        case .number: return 3
        }
    }

    /// `Value{number_value=2 | string_value=3 | bool_value=4}` (oneof members are always written).
    func encode(into writer: inout ProtobufWriter) {
        switch self {
        case .number(let value): writer.writeDouble(2, value)
        case .string(let value): writer.writeString(3, value)
        case .bool(let value): writer.writeBool(4, value)
        }
    }
}

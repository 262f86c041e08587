import ForgeTracking
import ForgeTrackingConformance
import Foundation
import Testing

@testable import ForgeTrackingMLflow

/// The shared TrackingStore conformance suite, run against the MLflow store on a real `mlflow server`
/// (every case creates its own experiment, so all cases share the one server).
@Suite("MLflow store conformance", .enabled(if: MLflowPython.hasMLflow))
struct MLflowConformanceTests {
    @Test("MLflow store", arguments: TrackingStoreConformance.cases)
    func mlflow(_ conformanceCase: ConformanceCase) async throws {
        try await conformanceCase.run(MLflowTrackingStore(trackingURI: try await MLflowTestServer.url.value))
    }
}

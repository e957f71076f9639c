// Upwind: what a user imports. Re-exports the public modules.
@_exported import NetCDFKit
@_exported import UpwindCore
@_exported import UpwindMeteo
@_exported import UpwindAttribution
@_exported import UpwindFormats
@_exported import UpwindReport
@_exported import UpwindWorkflows

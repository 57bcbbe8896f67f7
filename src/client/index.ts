export { HttpClient, errorFromResponse, type HttpOptions, type RequestOptions } from './http.js'
export { ControlPlaneClient, type ControlPlaneClientOptions } from './control-plane.js'
export { streamDeploymentLogs } from './log-stream.js'

/** Static issuer publication (docs/operations.md): documents, targets, the server's publisher. */
export { issuerDocuments, type IssuerDocument } from './documents.js'
export { publicationTarget, type PublicationTarget, type S3Settings } from './targets.js'
export { IssuerPublisher } from './publisher.js'

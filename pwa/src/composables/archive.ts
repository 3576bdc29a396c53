// What the desk's archive pages use: the archive's types and lists (views
// do not import the API client), and its composables.
export {
  AUDIT_VERDICTS,
  CONTRACT_KINDS,
  CONTRACT_STAGES,
  COVERAGE_KINDS,
  CUSTOMER_KINDS,
  DOCUMENT_KINDS,
} from '@/api/archive'
export type {
  AuditVerdict,
  Contact,
  Contract,
  ContractCover,
  ContractKind,
  ContractStage,
  Coverage,
  CoverageKind,
  Customer,
  CustomerDetail,
  CustomerItem,
  CustomerKind,
  DocumentKind,
  Equipment,
  EquipmentAttributes,
  ImportCounts,
  ImportProblem,
  ItemSpec,
  RenewalArgs,
  RevealedCredential,
  Site,
  SiteCoverage,
  StageEntry,
} from '@/api/archive'
export * from './archiveFormat'
export * from './archiveReference'
export * from './archiveCustomers'
export * from './archiveContract'
export * from './archiveImport'

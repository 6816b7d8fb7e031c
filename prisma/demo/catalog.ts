// The demo organization as data: departments, agents, task types, customers, meters and price plans.
// Keys here are stable; tests and docs may rely on them.

export const ORGANIZATION = {
  id: 1,
  name: "Northwind Holdings",
  currency: "USD",
  timeZone: "America/New_York",
  fiscalMonthStart: 1,
  // The issuer printed on its invoices (fictional).
  legalName: "Northwind Holdings, Inc.",
  address: "500 Harbor Boulevard, Suite 1200\nBoston, MA 02210\nUnited States",
  taxId: "EIN 00-0000000",
  paymentInstructions: "ACH or wire to Example Bank, routing 000000000, account 0000000000; please quote the invoice number.",
} as const;

export type DepartmentSeed = {
  code: string;
  name: string;
  parent: string | null;
  /** Role of the demo user who owns it (null = no owner). */
  owner: "admin" | "finance" | "ops" | null;
  /** Monthly budget as a multiple of the department's last-30-day cost, so over/under budget shows at any --events. */
  budgetFactor: number;
};

export const DEPARTMENTS: readonly DepartmentSeed[] = [
  { code: "EXEC", name: "Executive Office", parent: null, owner: "admin", budgetFactor: 1.5 },
  { code: "OPS", name: "Operations", parent: "EXEC", owner: "ops", budgetFactor: 1.25 },
  { code: "SUPPORT", name: "Customer Support", parent: "OPS", owner: "ops", budgetFactor: 0.9 },
  { code: "SALES", name: "Sales", parent: "EXEC", owner: null, budgetFactor: 1.2 },
  { code: "MKT", name: "Marketing", parent: "SALES", owner: null, budgetFactor: 0.97 },
  { code: "FIN", name: "Finance", parent: "EXEC", owner: "finance", budgetFactor: 1.4 },
  { code: "HR", name: "People & HR", parent: "EXEC", owner: null, budgetFactor: 1.6 },
  { code: "ENG", name: "Engineering", parent: "EXEC", owner: "admin", budgetFactor: 1.1 },
  { code: "IT", name: "IT Services", parent: "ENG", owner: "admin", budgetFactor: 1.3 },
  { code: "LEGAL", name: "Legal", parent: "EXEC", owner: null, budgetFactor: 1.05 },
];

export type TaskTypeSeed = {
  key: string;
  name: string;
  baselineMinutes: string;
  loadedHourlyCost: string;
  /** Share of tasks handled by humans at the start of the window; it falls by `humanShareDrop` by the end. */
  humanShare: number;
  humanShareDrop: number;
};

export const TASK_TYPES: readonly TaskTypeSeed[] = [
  { key: "case_resolution", name: "Case resolved", baselineMinutes: "12", loadedHourlyCost: "48", humanShare: 0.45, humanShareDrop: 0.12 },
  { key: "ticket_triage", name: "Ticket triaged", baselineMinutes: "5", loadedHourlyCost: "40", humanShare: 0.38, humanShareDrop: 0.1 },
  { key: "lead_qualification", name: "Lead qualified", baselineMinutes: "20", loadedHourlyCost: "55", humanShare: 0.48, humanShareDrop: 0.12 },
  { key: "invoice_processing", name: "Invoice processed", baselineMinutes: "8", loadedHourlyCost: "42", humanShare: 0.4, humanShareDrop: 0.1 },
  { key: "expense_audit", name: "Expense report audited", baselineMinutes: "10", loadedHourlyCost: "50", humanShare: 0.42, humanShareDrop: 0.08 },
  { key: "code_review", name: "Code review", baselineMinutes: "30", loadedHourlyCost: "95", humanShare: 0.5, humanShareDrop: 0.1 },
  { key: "contract_review", name: "Contract reviewed", baselineMinutes: "45", loadedHourlyCost: "120", humanShare: 0.5, humanShareDrop: 0.08 },
  { key: "candidate_screening", name: "Candidate screened", baselineMinutes: "15", loadedHourlyCost: "60", humanShare: 0.45, humanShareDrop: 0.1 },
  { key: "campaign_brief", name: "Campaign brief drafted", baselineMinutes: "60", loadedHourlyCost: "70", humanShare: 0.5, humanShareDrop: 0.1 },
  { key: "it_request", name: "IT request fulfilled", baselineMinutes: "10", loadedHourlyCost: "45", humanShare: 0.36, humanShareDrop: 0.1 },
  { key: "order_exception", name: "Order exception resolved", baselineMinutes: "8", loadedHourlyCost: "45", humanShare: 0.4, humanShareDrop: 0.12 },
  { key: "knowledge_request", name: "Knowledge request answered", baselineMinutes: "6", loadedHourlyCost: "55", humanShare: 0.35, humanShareDrop: 0.08 },
  { key: "meeting_summary", name: "Meeting summarized", baselineMinutes: "15", loadedHourlyCost: "90", humanShare: 0.4, humanShareDrop: 0.1 },
];

export type Platform = "agentforce" | "openai-assistants" | "langgraph" | "crewai" | "copilot-studio" | "custom";

export type AgentSeed = {
  key: string;
  name: string;
  platform: Platform;
  /** Model of its llm.call events (null for platforms that bill per action and report cost). */
  model: string | null;
  department: string | null;
  taskType: string | null;
  /** Relative event volume. */
  weight: number;
  /** Serves external customers: most of its events carry a customer. */
  customerFacing: boolean;
  channels: readonly string[];
  /** Median prompt (incl. tool definitions and retrieved context) and completion size of one llm.call. */
  inputTokens: number;
  outputTokens: number;
  /** Reports its own LLM cost (e.g. through a LiteLLM callback) instead of letting AgentLedger compute it. */
  reportsLlmCost?: boolean;
  status?: "active" | "paused" | "retired";
  tags: readonly string[];
  /** Fraction of the window (0..1) when the agent went live / was switched off. */
  liveFrom?: number;
  liveUntil?: number;
  /** How its platform bills it (Agentforce: per action or per outcome); unset = not known. */
  billingMode?: "action" | "outcome";
};

const CHAT = ["chat", "email", "web"] as const;
const INTERNAL = ["slack", "teams", "web"] as const;

export const AGENTS: readonly AgentSeed[] = [
  // Support
  { key: "support-triage-bot", name: "Support Triage Bot", platform: "custom", model: "gpt-4.1-mini", department: "SUPPORT", taskType: "ticket_triage", weight: 9, customerFacing: true, channels: CHAT, inputTokens: 5400, outputTokens: 225, tags: ["tier-1"] },
  { key: "support-resolver", name: "Support Resolver", platform: "langgraph", model: "claude-sonnet-4-5", department: "SUPPORT", taskType: "case_resolution", weight: 10, customerFacing: true, channels: CHAT, inputTokens: 18000, outputTokens: 1050, tags: ["tier-2"] },
  { key: "support-email-agent", name: "Support Email Agent", platform: "openai-assistants", model: "gpt-4o", department: "SUPPORT", taskType: "case_resolution", weight: 5, customerFacing: true, channels: ["email"], inputTokens: 12000, outputTokens: 750, tags: [] },
  { key: "sf-service-agent", name: "Salesforce Service Agent", platform: "agentforce", model: null, department: "SUPPORT", taskType: "case_resolution", weight: 7, customerFacing: true, channels: ["chat", "web", "sms"], inputTokens: 0, outputTokens: 0, tags: ["salesforce"], billingMode: "outcome" },
  { key: "voice-support-agent", name: "Voice Support Agent", platform: "custom", model: "gpt-4o-mini", department: "SUPPORT", taskType: "case_resolution", weight: 5, customerFacing: true, channels: ["voice"], inputTokens: 9000, outputTokens: 600, tags: ["pilot"], liveFrom: 0.5 },
  { key: "refund-agent", name: "Refund Agent", platform: "crewai", model: "claude-haiku-4-5", department: "SUPPORT", taskType: "case_resolution", weight: 3, customerFacing: true, channels: CHAT, inputTokens: 7500, outputTokens: 450, reportsLlmCost: true, tags: [] },
  { key: "legacy-faq-bot", name: "Legacy FAQ Bot", platform: "custom", model: "gpt-4o-mini", department: "SUPPORT", taskType: "ticket_triage", weight: 4, customerFacing: true, channels: ["web"], inputTokens: 3600, outputTokens: 300, status: "retired", tags: ["legacy"], liveUntil: 0.35 },
  // Sales & marketing
  { key: "sdr-lead-qualifier", name: "SDR Lead Qualifier", platform: "agentforce", model: null, department: "SALES", taskType: "lead_qualification", weight: 5, customerFacing: true, channels: ["email", "web"], inputTokens: 0, outputTokens: 0, tags: ["salesforce"], billingMode: "action" },
  { key: "lead-enrichment", name: "Lead Enrichment Crew", platform: "crewai", model: "gpt-5-mini", department: "SALES", taskType: "lead_qualification", weight: 4, customerFacing: true, channels: ["api"], inputTokens: 15000, outputTokens: 900, reportsLlmCost: true, tags: [] },
  { key: "sales-email-writer", name: "Sales Email Writer", platform: "langgraph", model: "claude-sonnet-4-5", department: "SALES", taskType: null, weight: 3, customerFacing: false, channels: INTERNAL, inputTokens: 10500, outputTokens: 1200, tags: [] },
  { key: "deal-desk-assistant", name: "Deal Desk Assistant", platform: "copilot-studio", model: null, department: "SALES", taskType: null, weight: 2, customerFacing: false, channels: ["teams"], inputTokens: 0, outputTokens: 0, tags: ["microsoft"] },
  { key: "campaign-content-agent", name: "Campaign Content Agent", platform: "custom", model: "claude-opus-4-5", department: "MKT", taskType: "campaign_brief", weight: 2, customerFacing: false, channels: INTERNAL, inputTokens: 27000, outputTokens: 3750, tags: ["content"] },
  { key: "seo-research-agent", name: "SEO Research Agent", platform: "crewai", model: "gemini-2.5-flash", department: "MKT", taskType: null, weight: 3, customerFacing: false, channels: ["api"], inputTokens: 36000, outputTokens: 1350, tags: ["content"] },
  { key: "social-listening", name: "Social Listening", platform: "langgraph", model: "gemini-2.5-flash", department: "MKT", taskType: null, weight: 3, customerFacing: false, channels: ["api"], inputTokens: 12000, outputTokens: 450, tags: [] },
  // Finance & HR
  { key: "invoice-processor", name: "Invoice Processor", platform: "custom", model: "gpt-4.1", department: "FIN", taskType: "invoice_processing", weight: 5, customerFacing: false, channels: ["email", "api"], inputTokens: 21000, outputTokens: 900, tags: ["ap"] },
  { key: "expense-auditor", name: "Expense Auditor", platform: "langgraph", model: "o4-mini", department: "FIN", taskType: "expense_audit", weight: 3, customerFacing: false, channels: ["web"], inputTokens: 15000, outputTokens: 600, tags: [] },
  { key: "ap-reconciliation", name: "AP Reconciliation", platform: "copilot-studio", model: null, department: "FIN", taskType: "invoice_processing", weight: 2, customerFacing: false, channels: ["teams"], inputTokens: 0, outputTokens: 0, tags: ["microsoft", "ap"] },
  { key: "hr-policy-assistant", name: "HR Policy Assistant", platform: "copilot-studio", model: null, department: "HR", taskType: "knowledge_request", weight: 3, customerFacing: false, channels: ["teams"], inputTokens: 0, outputTokens: 0, tags: ["microsoft"] },
  { key: "candidate-screener", name: "Candidate Screener", platform: "openai-assistants", model: "gpt-5-mini", department: "HR", taskType: "candidate_screening", weight: 2, customerFacing: false, channels: ["web"], inputTokens: 18000, outputTokens: 1050, tags: [] },
  // IT, legal, operations, engineering
  { key: "it-helpdesk-copilot", name: "IT Helpdesk Copilot", platform: "copilot-studio", model: null, department: "IT", taskType: "it_request", weight: 5, customerFacing: false, channels: ["teams"], inputTokens: 0, outputTokens: 0, tags: ["microsoft", "shared"] },
  { key: "access-provisioning-agent", name: "Access Provisioning Agent", platform: "custom", model: "gpt-4.1-mini", department: "IT", taskType: "it_request", weight: 3, customerFacing: false, channels: ["slack"], inputTokens: 6000, outputTokens: 300, tags: [] },
  { key: "incident-summarizer", name: "Incident Summarizer", platform: "langgraph", model: "claude-haiku-4-5", department: "IT", taskType: null, weight: 2, customerFacing: false, channels: ["slack"], inputTokens: 24000, outputTokens: 900, tags: [] },
  { key: "contract-reviewer", name: "Contract Reviewer", platform: "langgraph", model: "claude-opus-4-5", department: "LEGAL", taskType: "contract_review", weight: 2, customerFacing: true, channels: ["web"], inputTokens: 75000, outputTokens: 3000, tags: ["high-risk"] },
  { key: "nda-triage", name: "NDA Triage", platform: "custom", model: "gpt-5", department: "LEGAL", taskType: "contract_review", weight: 2, customerFacing: true, channels: ["email"], inputTokens: 24000, outputTokens: 1050, tags: [] },
  { key: "order-exception-agent", name: "Order Exception Agent", platform: "crewai", model: "gpt-4o-mini", department: "OPS", taskType: "order_exception", weight: 5, customerFacing: true, channels: ["api", "email"], inputTokens: 9000, outputTokens: 450, tags: [] },
  { key: "supply-forecast-agent", name: "Supply Forecast Agent", platform: "custom", model: "gemini-2.5-pro", department: "OPS", taskType: null, weight: 2, customerFacing: false, channels: ["api"], inputTokens: 45000, outputTokens: 2250, tags: ["batch"] },
  { key: "code-review-agent", name: "Code Review Agent", platform: "custom", model: "claude-sonnet-4-5", department: "ENG", taskType: "code_review", weight: 4, customerFacing: false, channels: ["api"], inputTokens: 42000, outputTokens: 1800, tags: [] },
  { key: "test-gen-agent", name: "Test Generation Agent", platform: "langgraph", model: "o3", department: "ENG", taskType: null, weight: 2, customerFacing: false, channels: ["api"], inputTokens: 30000, outputTokens: 2250, tags: ["pilot"], liveFrom: 0.3 },
  { key: "enterprise-search-assistant", name: "Enterprise Search Assistant", platform: "custom", model: "gpt-4.1-mini", department: "ENG", taskType: "knowledge_request", weight: 6, customerFacing: false, channels: INTERNAL, inputTokens: 15000, outputTokens: 600, tags: ["shared"] },
  { key: "meeting-notes-agent", name: "Meeting Notes Agent", platform: "openai-assistants", model: "gpt-4o-mini", department: "EXEC", taskType: "meeting_summary", weight: 3, customerFacing: false, channels: ["teams", "web"], inputTokens: 27000, outputTokens: 1200, tags: ["shared"] },
  { key: "board-brief-agent", name: "Board Brief Agent", platform: "custom", model: "gpt-5", department: "EXEC", taskType: null, weight: 1, customerFacing: false, channels: ["web"], inputTokens: 60000, outputTokens: 4500, status: "paused", tags: [], liveUntil: 0.8 },
  // No department: shows up as "unassigned" in chargeback.
  { key: "sandbox-experiments", name: "Sandbox Experiments", platform: "custom", model: "claude-3-5-haiku", department: null, taskType: null, weight: 1, customerFacing: false, channels: ["api"], inputTokens: 6000, outputTokens: 450, tags: ["experimental"] },
];

export type AllocationSeed = {
  agent: string;
  method: "proportional" | "fixed" | "even";
  driver: "tasks" | null;
  /** Department code → percent (fixed) or relative demand used to spread the agent's events. */
  shares: Record<string, number>;
};

export const ALLOCATIONS: readonly AllocationSeed[] = [
  { agent: "enterprise-search-assistant", method: "proportional", driver: "tasks", shares: { SUPPORT: 35, SALES: 25, ENG: 20, LEGAL: 12, HR: 8 } },
  { agent: "it-helpdesk-copilot", method: "fixed", driver: null, shares: { IT: 40, HR: 25, FIN: 20, OPS: 15 } },
  { agent: "meeting-notes-agent", method: "even", driver: null, shares: { SALES: 1, MKT: 1, ENG: 1, EXEC: 1 } },
];

/** Billing and tax details (fictional); a customer without a tax country gets no tax lines. */
export type CustomerTax = { legalName: string; billingAddress: string; taxId: string | null; taxCountry: string; taxExemptReason?: string };
export type CustomerSeed = { key: string; name: string; weight: number; salesforceAccountId: string | null; tax?: CustomerTax };

export const CUSTOMERS: readonly CustomerSeed[] = [
  { key: "acme", name: "Acme Corporation", weight: 24, salesforceAccountId: "001Dn00000AcmeQAA" },
  {
    // A German customer: German VAT at the standard rate on every line (tax_rates below).
    key: "globex", name: "Globex Industries", weight: 20, salesforceAccountId: "001Dn00000GlbxQAA",
    tax: { legalName: "Globex Industries GmbH", billingAddress: "Beispielstraße 1\n10115 Berlin\nGermany", taxId: "DE000000000", taxCountry: "DE" },
  },
  { key: "initech", name: "Initech", weight: 6, salesforceAccountId: null },
  {
    // A US non-profit: exempt, the certificate printed on its invoices. Other US customers have no tax country (untaxed).
    key: "umbrella", name: "Umbrella Health", weight: 14, salesforceAccountId: "001Dn00000UmbrQAA",
    tax: { legalName: "Umbrella Health Foundation", billingAddress: "1 Example Plaza\nRaleigh, NC 27601\nUnited States", taxId: null, taxCountry: "US", taxExemptReason: "Sales tax exemption certificate E-0000-0000 (fictional)" },
  },
  { key: "stark", name: "Stark Logistics", weight: 12, salesforceAccountId: "001Dn00000StrkQAA" },
  { key: "wayne", name: "Wayne Retail Group", weight: 5, salesforceAccountId: null },
  { key: "hooli", name: "Hooli", weight: 9, salesforceAccountId: null },
  { key: "wonka", name: "Wonka Foods", weight: 3, salesforceAccountId: null },
];

/** Tax rates of the jurisdictions above (Germany's VAT rates; no US rate: the US customer is exempt). */
export const TAX_RATES: readonly { country: string; category: string; name: string; ratePercent: string }[] = [
  { country: "DE", category: "standard", name: "VAT", ratePercent: "19" },
  { country: "DE", category: "reduced", name: "VAT", ratePercent: "7" },
];

export type MeterSeed = {
  key: string;
  name: string;
  eventType: string | null;
  aggregation: "count" | "sum_quantity" | "sum_property" | "max" | "unique_count";
  property: string | null;
  unit: string;
  /** Outcome meters count tasks (lib/billing/usage.ts): by task type, who handled them and their status. */
  tasks?: { taskType: string; handledBy: "agent" | "human" | null; taskStatuses: string[] };
};

export const METERS: readonly MeterSeed[] = [
  { key: "agent_actions", name: "Agent actions", eventType: "agent.action", aggregation: "sum_quantity", property: null, unit: "action" },
  { key: "conversations", name: "Conversations", eventType: "agent.conversation", aggregation: "count", property: null, unit: "conversation" },
  { key: "llm_tokens", name: "LLM tokens", eventType: "llm.call", aggregation: "sum_property", property: "total_tokens", unit: "token" },
  // `cost` is the event's cost column, not a JSON property: the billing engine resolves column names first.
  { key: "llm_cost", name: "LLM cost", eventType: "llm.call", aggregation: "sum_property", property: "cost", unit: "USD" },
  { key: "tasks_completed", name: "Tasks completed", eventType: "task.completed", aggregation: "count", property: null, unit: "task" },
  // Outcomes: "$4.00 per case resolved by an agent without escalation", "per document processed".
  { key: "cases_resolved", name: "Cases resolved by an agent", eventType: null, aggregation: "count", property: null, unit: "case", tasks: { taskType: "case_resolution", handledBy: "agent", taskStatuses: ["completed"] } },
  { key: "documents_processed", name: "Documents processed", eventType: null, aggregation: "count", property: null, unit: "document", tasks: { taskType: "invoice_processing", handledBy: null, taskStatuses: ["completed"] } },
];

type Tier = { upTo: number | null; unitPrice: string; flatFee: string };

export type ChargeSeed = {
  meter: string;
  model: "per_unit" | "graduated" | "volume" | "package" | "markup" | "credits";
  unitPrice?: string;
  tiers?: Tier[];
  packageSize?: string;
  markupPercent?: string;
  creditsPerUnit?: string;
  creditPackSize?: string;
  creditPackPrice?: string;
  freeUnits?: string;
  minimumAmount?: string;
  maximumAmount?: string;
  guaranteeMaxEscalationRate?: string;
  guaranteeCreditPercent?: string;
};

export type PlanSeed = { key: string; version: number; name: string; minimumSpend: string | null; charges: ChargeSeed[] };

export const PLANS: readonly PlanSeed[] = [
  {
    key: "starter",
    version: 1,
    name: "Starter",
    minimumSpend: "250.00",
    charges: [
      { meter: "agent_actions", model: "per_unit", unitPrice: "0.05", freeUnits: "1000" },
      { meter: "conversations", model: "per_unit", unitPrice: "0.40" },
    ],
  },
  {
    key: "growth",
    version: 1,
    name: "Growth",
    minimumSpend: "1000.00",
    charges: [
      {
        meter: "agent_actions",
        model: "graduated",
        tiers: [
          { upTo: 10000, unitPrice: "0.04", flatFee: "0" },
          { upTo: 100000, unitPrice: "0.03", flatFee: "0" },
          { upTo: null, unitPrice: "0.02", flatFee: "0" },
        ],
      },
      {
        meter: "conversations",
        model: "volume",
        tiers: [
          { upTo: 1000, unitPrice: "0.35", flatFee: "0" },
          { upTo: null, unitPrice: "0.25", flatFee: "0" },
        ],
      },
      { meter: "llm_cost", model: "markup", markupPercent: "20" },
    ],
  },
  {
    key: "enterprise",
    version: 1,
    name: "Enterprise (credits)",
    minimumSpend: null,
    charges: [
      { meter: "agent_actions", model: "credits", creditsPerUnit: "20", creditPackSize: "100000", creditPackPrice: "500.00" },
      { meter: "conversations", model: "credits", creditsPerUnit: "100", creditPackSize: "100000", creditPackPrice: "500.00" },
      { meter: "llm_tokens", model: "package", packageSize: "1000000", unitPrice: "1.50" },
    ],
  },
  {
    // Outcome-based: paid per case an agent resolves without escalation, with activity at a token price beside it.
    key: "outcomes",
    version: 1,
    name: "Outcomes (per resolved case)",
    minimumSpend: null,
    charges: [
      { meter: "cases_resolved", model: "per_unit", unitPrice: "4.00", minimumAmount: "200.00", maximumAmount: "25000.00", guaranteeMaxEscalationRate: "0.10", guaranteeCreditPercent: "10" },
      { meter: "conversations", model: "per_unit", unitPrice: "0.10" },
    ],
  },
];

/** Customer → plan. "always" = from 2025-01-01, before any data; "currentMonth" = the first local day of the month the window ends in. */
export const CUSTOMER_PLANS: readonly { customer: string; plan: string; from: "always" | "currentMonth"; until?: "currentMonth" }[] = [
  { customer: "acme", plan: "growth", from: "always" },
  { customer: "globex", plan: "enterprise", from: "always" },
  { customer: "initech", plan: "starter", from: "always" },
  { customer: "umbrella", plan: "growth", from: "always" },
  { customer: "stark", plan: "enterprise", from: "always" },
  { customer: "wayne", plan: "outcomes", from: "always" },
  { customer: "hooli", plan: "starter", from: "always", until: "currentMonth" },
  { customer: "hooli", plan: "growth", from: "currentMonth" },
  { customer: "wonka", plan: "starter", from: "always" },
];

/** Prepaid credits for globex, drawn down by its enterprise plan. */
export const COMMITMENT = { customer: "globex", kind: "credits", amount: "6000000" } as const;

/** Costs reported by platforms that bill per action/conversation (USD). */
export const PLATFORM_COSTS: Partial<Record<Platform, { action: string; conversationPerTurn: string }>> = {
  // Agentforce Flex Credits: 20 credits per action at $0.005/credit; conversations billed as their actions.
  agentforce: { action: "0.10", conversationPerTurn: "0.10" },
  // Copilot Studio: agent action = 5 messages, generative answer = 2 messages, $0.01 per message.
  "copilot-studio": { action: "0.05", conversationPerTurn: "0.02" },
};

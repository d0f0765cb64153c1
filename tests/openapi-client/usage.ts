// What a typed client does with the types openapi-typescript generates from /openapi/v1.json.
// check.mjs generates ./generated/api.d.ts and runs `tsc --strict --noEmit` on this file (tsconfig.json).
//
// Rules: no `!` non-null assertions, no `as` casts, no `any`. Every value the service always sends is assigned to
// a variable of a non-optional, non-widened type, so the file stops compiling when the document marks it optional
// (`?`), nullable, `number | string`, or `unknown`.
//
// Names used from the document: operations (by operationId) GetJob, ListJobs, SubmitJob, GetJobTranscription,
// GetMedia, ListMedia, GetMe, GetQueue, CreateWebhook, CreateApiKey, CreateTenant, UpdateTenant,
// OpenAiCreateTranscription, OpenAiListModels; path
// /api/v1/jobs/{id}/transcription; schemas (components.schemas) JobDto, JobStatus, JobKind, JobErrorDto, AnalysisKind,
// MediaStatus, SegmentDto, SubmitJobRequest, TenantLimitsRequest. Through the operations' responses it also relies on
// PageDtoOfJobDto, PageDtoOfMediaAssetDto, MediaAssetDto, TranscriptionDto, WordDto, MeDto, TenantDto, ApiKeyDto,
// QueueDto, ProblemDetails, HttpValidationProblemDetails, WebhookCreatedDto, CreateWebhookRequest, CreateApiKeyRequest,
// CreateTenantRequest.

import type { components, operations, paths } from "./generated/api";

type Schemas = components["schemas"];

/** `T` unless it is `unknown` (an untyped `{}` schema), in which case `never`: nothing can be assigned to it. */
type Known<T> = unknown extends T ? never : T;

// ---------------------------------------------------------------------------------------------------------------
// Jobs: GET /api/v1/jobs/{id} (GetJob) answers a JobDto.

type Job = operations["GetJob"]["responses"][200]["content"]["application/json"];
type JobStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";

export function readJob(job: Job): string {
    const id: string = job.id;
    const mediaId: string = job.mediaId;
    const status: JobStatus = job.status;
    const kind: "transcription" | "analysis" = job.kind;
    const progress: number = job.progress;
    const attempts: number = job.attempts;
    const maxAttempts: number = job.maxAttempts;
    const priority: number = job.priority;
    const createdAt: string = job.createdAt;
    const updatedAt: string = job.updatedAt;
    const runAfter: string = job.runAfter;
    // Nullable members are still always present: `T | null`, never `undefined`.
    const startedAt: string | null = job.startedAt;
    const finishedAt: string | null = job.finishedAt;
    const queuePosition: number | null = job.queuePosition;
    const language: string | null = job.language;
    const error: Schemas["JobErrorDto"] | null = job.error;
    const errorCode: string | null = error === null ? null : error.code;
    const analyses: Schemas["AnalysisKind"][] = job.analyses;
    return `${id} ${mediaId} ${status} ${kind} ${progress}% ${attempts}/${maxAttempts} p${priority} ${createdAt} ${updatedAt} ${runAfter} `
        + `${startedAt ?? "-"} ${finishedAt ?? "-"} ${queuePosition ?? "-"} ${language ?? "-"} ${errorCode ?? "-"} ${analyses.length}`;
}

/** Exhaustive over the generated status type: fails if it is wider than the five statuses (e.g. `string`). */
export function isFinished(status: Schemas["JobDto"]["status"]): boolean {
    switch (status) {
        case "queued":
        case "running":
            return false;
        case "succeeded":
        case "failed":
        case "cancelled":
            return true;
        default: {
            const unreachable: never = status;
            return unreachable;
        }
    }
}

/** ...and every status a client knows is one the document declares (the schema JobStatus). */
export const allStatuses: Schemas["JobStatus"][] = ["queued", "running", "succeeded", "failed", "cancelled"];
export const allKinds: Schemas["JobKind"][] = ["transcription", "analysis"];

// ---------------------------------------------------------------------------------------------------------------
// Pages: GET /api/v1/jobs (ListJobs) answers PageDtoOfJobDto; pass nextCursor back as cursor.

type JobPage = operations["ListJobs"]["responses"][200]["content"]["application/json"];

export function nextQuery(page: JobPage): operations["ListJobs"]["parameters"]["query"] {
    const items: Schemas["JobDto"][] = page.items;
    const nextCursor: string | null = page.nextCursor;
    const ids: string[] = items.map((job) => job.id);
    const progress: number[] = items.map((job) => job.progress);
    return ids.length > 0 && progress.length > 0 && nextCursor !== null ? { cursor: nextCursor, status: "running", limit: 50 } : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Transcriptions: GET /api/v1/jobs/{id}/transcription answers a TranscriptionDto with segments and words.

type Transcription = paths["/api/v1/jobs/{id}/transcription"]["get"]["responses"][200]["content"]["application/json"];

export function firstWordStarts(t: Transcription): number[] {
    const id: string = t.id;
    const jobId: string = t.jobId;
    const text: string = t.text;
    const language: string = t.language;
    const wordCount: number = t.wordCount;
    const confidence: number | null = t.confidence;
    const segments: Schemas["SegmentDto"][] = t.segments;
    const starts: number[] = [];
    for (let i = 0; i < segments.length; i++) {
        const segment = segments[i];
        const segmentStart: number = segment.start;
        const segmentEnd: number = segment.end;
        const segmentText: string = segment.text;
        for (let j = 0; j < segment.words.length; j++) {
            const start: number = t.segments[i].words[j].start;
            const end: number = segment.words[j].end;
            const word: string = segment.words[j].text;
            const wordConfidence: number = segment.words[j].confidence;
            if (word.length > 0 && end >= start && wordConfidence >= 0 && segmentEnd >= segmentStart && segmentText.length > 0) {
                starts.push(start);
            }
        }
    }
    return id && jobId && text && language && wordCount >= 0 && confidence !== 0 ? starts : [];
}

// ---------------------------------------------------------------------------------------------------------------
// Media: GET /api/v1/media/{id} (GetMedia) and GET /api/v1/media (ListMedia).

type Media = operations["GetMedia"]["responses"][200]["content"]["application/json"];

export function readMedia(media: Media, page: operations["ListMedia"]["responses"][200]["content"]["application/json"]): string {
    const id: string = media.id;
    const status: "registered" | "stored" | "ready" | "rejected" = media.status;
    const source: "upload" | "url" = media.source;
    const sizeBytes: number | null = media.sizeBytes;
    const durationSeconds: number | null = media.durationSeconds;
    const hasAudio: boolean = media.hasAudio;
    const createdAt: string = media.createdAt;
    const others: Media[] = page.items;
    const next: string | null = page.nextCursor;
    return `${id} ${status} ${source} ${sizeBytes ?? "?"} ${durationSeconds ?? "?"} ${hasAudio} ${createdAt} ${others.length} ${next ?? ""}`;
}

export const allMediaStatuses: Schemas["MediaStatus"][] = ["registered", "stored", "ready", "rejected"];

// ---------------------------------------------------------------------------------------------------------------
// The caller and the queue: GET /api/v1/me (GetMe), GET /api/v1/queue (GetQueue).

export function readMe(me: operations["GetMe"]["responses"][200]["content"]["application/json"]): string {
    const tenantId: string = me.tenant.id;
    const tenantName: string = me.tenant.name;
    const requestsPerMinute: number | null = me.tenant.limits.requestsPerMinute;
    const storageUsed: number | null = me.usage.storageBytes.used;
    const keyName: string | null = me.key === null ? null : me.key.name;
    return `${tenantId} ${tenantName} ${requestsPerMinute ?? "unlimited"} ${storageUsed ?? "-"} ${keyName ?? "-"}`;
}

export function readQueue(queue: operations["GetQueue"]["responses"][200]["content"]["application/json"]): number {
    const queued: number = queue.depth.queued;
    const perSecond: number = queue.throughput.perSecond;
    const at: string = queue.at;
    const workerProgress: number[] = queue.workers.map((w) => w.progress);
    return at.length > 0 ? queued + perSecond + workerProgress.length : 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Errors: RFC 9457 problem+json, with the service's `code`.

type NotFound = operations["GetJob"]["responses"][404]["content"]["application/problem+json"];
type Unauthorized = operations["GetJob"]["responses"][401]["content"]["application/problem+json"];
type TooManyRequests = operations["SubmitJob"]["responses"][429]["content"]["application/problem+json"];
type ValidationProblem = operations["SubmitJob"]["responses"][400]["content"]["application/problem+json"];

export function describeNotFound(p: NotFound): string {
    const status: number = p.status;
    const title: string = p.title;
    const code: string = p.code;
    const type: string = p.type;
    return `${status} ${code} ${title} (${type})`;
}

// Each status separately: a type that fails to resolve would otherwise turn a union into `any`.
export function describeUnauthorized(p: Unauthorized): string {
    const status: number = p.status;
    const code: string = p.code;
    return `${status} ${code}`;
}

export function retryLater(p: TooManyRequests): string {
    const status: number = p.status;
    const code: string = p.code;
    return `${status} ${code}`;
}

export function fieldErrors(p: ValidationProblem): string[] {
    const status: number = p.status;
    const code: string = p.code;
    const title: string = p.title;
    const errors: { [field: string]: string[] } = p.errors;
    return Object.entries(errors).map(([field, messages]) => `${status} ${code} ${title}: ${field}: ${messages.join(" ")}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Webhooks: POST /api/v1/webhooks (CreateWebhook) answers the secret once.

export function keepSecret(created: operations["CreateWebhook"]["responses"][201]["content"]["application/json"]): [string, string] {
    const secret: string = created.secret;
    const id: string = created.id;
    return [id, secret];
}

// ---------------------------------------------------------------------------------------------------------------
// Request bodies a client builds: only what the service requires may be required.

type SubmitJobBody = operations["SubmitJob"]["requestBody"]["content"]["application/json"];

/** POST /api/v1/jobs needs only mediaId (kind defaults to transcription; the rest is optional). */
export const minimalSubmit: SubmitJobBody = { mediaId: "01a24279-af87-73f7-9edf-6f71cd45ea15" };
export const fullerSubmit: Schemas["SubmitJobRequest"] = {
    mediaId: "01a24279-af87-73f7-9edf-6f71cd45ea15",
    kind: "transcription",
    analyses: ["summary", "keywords"],
    priority: 5,
};

/** The other create bodies need only what their validators require. */
export const minimalWebhook: operations["CreateWebhook"]["requestBody"]["content"]["application/json"] = {
    url: "https://example.org/hooks/mediaplatform",
    events: ["job.succeeded"],
};
export const minimalKey: operations["CreateApiKey"]["requestBody"]["content"]["application/json"] = { name: "ci", scopes: ["read"] };
export const minimalTenant: operations["CreateTenant"]["requestBody"]["content"]["application/json"] = { name: "acme" };
export const someLimits: Schemas["TenantLimitsRequest"] = { maxConcurrentJobs: 4 };

// ---------------------------------------------------------------------------------------------------------------
// The OpenAI-compatible surface: POST /v1/audio/transcriptions (OpenAiCreateTranscription), GET /v1/models (OpenAiListModels).

/** The multipart form: only `file` is needed (model defaults to whisper-1). */
export const transcribeForm: Known<operations["OpenAiCreateTranscription"]["requestBody"]> = {
    content: { "multipart/form-data": { file: "<the audio bytes>" } },
};

export function modelIds(list: operations["OpenAiListModels"]["responses"][200]["content"]["application/json"]): string[] {
    return list.data.map((model) => model.id);
}

/** PATCH /api/v1/tenants/{id} (UpdateTenant, a merge patch) must describe its members, not be `unknown`. */
type UpdateTenantBody = operations["UpdateTenant"]["requestBody"]["content"]["application/merge-patch+json"];
export const rename: Known<UpdateTenantBody> = { name: "renamed" };

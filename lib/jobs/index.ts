// lib/jobs: the app's background-job API. See README "Background jobs".
export { defineJob, type JobContext, type JobDefinition, type JobOptions } from "./define";
export { enqueueJob, registerJobs, startWorker, stopWorker, type EnqueueOptions } from "./queue";
export { once } from "./once";

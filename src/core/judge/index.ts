export { resolveJudgeConfig, JUDGE_SCALES, DEFAULT_POINTWISE_TEMPLATE, DEFAULT_SCORE_REGEXES, type JudgeConfig, type JudgeScale } from './judgeConfig';
export { parseVerdict, renderTemplate, type JudgeVerdict } from './verdict';
export { JudgeCache } from './judgeCache';
export { JudgeClient, type JudgeClientOptions, type JudgeReply } from './judgeClient';
export { JudgeScoring, type JudgeRecord } from './judgeScoring';
export { prepareJudge } from './prepareJudge';

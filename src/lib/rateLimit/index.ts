export { clientIp, PEER_ADDRESS_HEADER } from './clientIp'
export { consumeRateLimit, enforceRateLimit, refundRateLimit, resetRateLimit } from './consume'
export type { RateLimitDecision, RateLimitSubject } from './consume'
export { closeRateLimitStore, getLimiter } from './limiters'
export { beginLoginAttempt, clearLoginLock, loginSucceeded } from './loginGuard'
export {
  defaultPolicies,
  LOGIN_KNOWN_SOURCE_SECONDS,
  LOGIN_LOCK_SECONDS,
  LOGIN_MAX_FAILED_ATTEMPTS,
  LOGIN_MAX_FAILED_PER_ACCOUNT,
  LOGIN_MAX_FAILED_PER_ADDRESS,
  policyNames,
  resolvePolicy,
} from './policies'
export type { PolicyName } from './policies'

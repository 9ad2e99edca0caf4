// Money as the contract writes it: a decimal string ("12.50"), never a JSON number. Amounts are kept as BigInt counts
// of 1/10_000 (the contract's money has at most 4 decimals), so that sums of holds are exact.
const PATTERN = /^\d{1,12}(\.\d{1,4})?$/
const DECIMALS = 4
const SCALE = 10n ** BigInt(DECIMALS)

/** The amount of a decimal string, or null when it is not one the contract allows. */
export function parseMoney (text) {
  if (typeof text !== 'string' || !PATTERN.test(text)) {
    return null
  }
  const [whole, fraction = ''] = text.split('.')
  return BigInt(whole) * SCALE + BigInt(fraction.padEnd(DECIMALS, '0'))
}

/** The decimal string of an amount, without trailing zeros beyond two decimals ("12.50", "0.125"). */
export function formatMoney (amount) {
  const whole = amount / SCALE
  const fraction = (amount % SCALE).toString().padStart(DECIMALS, '0').replace(/0{1,2}$/, '')
  return `${whole}.${fraction.length < 2 ? fraction.padEnd(2, '0') : fraction}`
}

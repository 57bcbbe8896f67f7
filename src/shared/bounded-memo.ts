/**
 * A memo of a pure function of one text key, bounded: with `max` keys kept it starts over, so a
 * caller that sees endless distinct keys keeps at most `max` answers. For answers that are pure
 * functions of their key (parsed policies, decoded token headers, names built from a URL, SigV4
 * signing keys): a hit is the answer the function would give again.
 */
export function boundedMemo<T>(max: number, compute: (key: string) => T): (key: string) => T {
  const answers = new Map<string, T>()
  return (key) => {
    let answer = answers.get(key)
    if (answer === undefined) {
      answer = compute(key)
      if (answers.size >= max) answers.clear()
      answers.set(key, answer)
    }
    return answer
  }
}

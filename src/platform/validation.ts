import { z } from 'zod'
import { isRoleArn } from '../shared/arn.js'
import { ValidationFailed, type FieldProblem } from '../shared/errors.js'
import { validateSubjectTemplate } from '../shared/subject-template.js'

/** Turns zod issues into the field list of `validation_failed` (`details.fields`). */
export function problemsOf(error: z.ZodError, prefix = ''): FieldProblem[] {
  const join = (parts: readonly PropertyKey[]): string => {
    const path = parts.map(String).join('.')
    const full = prefix === '' ? path : path === '' ? prefix : `${prefix}.${path}`
    return full === '' ? '(root)' : full
  }
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: join([...issue.path, key]), message: 'unknown field' }))
      : [{ path: join(issue.path), message: issue.message }],
  )
}

/** Parses input with a zod schema or throws ValidationFailed naming every failing field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what = 'request',
  prefix = '',
): z.output<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const problems = problemsOf(result.error, prefix)
  throw new ValidationFailed(
    `invalid ${what}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    problems,
  )
}

export const nameSchema = z.string().trim().min(1, 'must not be empty').max(128)
export const descriptionSchema = z.string().max(1024)
export const idSchema = z.string().min(1).max(64)

export const roleArnSchema = z.string().trim().max(2048).refine(isRoleArn, {
  message:
    'must be an IAM role ARN: arn:<aws|aws-cn|aws-us-gov>:iam::<12-digit account>:role/<name>',
})

export const durationSchema = z
  .number()
  .int()
  .min(900, 'must be at least 900 seconds')
  .max(43200, 'must be at most 43200 seconds')

export const regionSchema = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/u, 'must be an AWS region such as us-east-1')

export const httpUrlSchema = z
  .string()
  .max(2048)
  .refine(
    (v) => {
      try {
        const u = new URL(v)
        return u.protocol === 'http:' || u.protocol === 'https:'
      } catch {
        return false
      }
    },
    { message: 'must be an http(s) URL' },
  )

/** An email address; loose on purpose (`admin@localhost` is the owner's default). */
export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+$/u, 'must be an email address')

export const subjectTemplateSchema = z
  .string()
  .max(512)
  .superRefine((value, ctx) => {
    for (const problem of validateSubjectTemplate(value))
      ctx.addIssue({ code: 'custom', message: problem })
  })

export const audienceSchema = z.string().trim().min(1).max(256)

export const variableNameSchema = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]{0,127}$/u,
    'must be letters, digits and _ (not starting with a digit), at most 128 characters',
  )

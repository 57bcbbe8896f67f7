import type { ReactNode } from 'react'
import { Link } from '../router'
import { PageHeader } from '../ui/layout'

export function NotFoundPage(): ReactNode {
  return (
    <div className="page">
      <PageHeader title="Page not found" description="There is no console page at this address." />
      <p>
        <Link to="/">Go to your organizations</Link>
      </p>
    </div>
  )
}

import { useEffect, useState, type ReactNode } from 'react'
import { clearApiKey, getApiKey, onAuthChange } from './auth'
import { api, enc } from './api/client'
import type { Organization, Page } from './api/types'
import { Link, match, navigate, useLocation } from './router'
import { useAsync } from './ui/use-async'
import { BrandMark } from './ui/brand'
import { SignInPage } from './pages/sign-in'
import { OrganizationsPage } from './pages/organizations'
import { ProjectsPage } from './pages/projects'
import { ProjectPage } from './pages/project'
import { EnvironmentPage } from './pages/environment'
import { TemplatesPage } from './pages/templates'
import { CredentialsPage } from './pages/credentials'
import { OidcPage } from './pages/oidc'
import { AzureSetupPage } from './pages/azure-setup'
import { GcpSetupPage } from './pages/gcp-setup'
import { DeploymentsPage } from './pages/deployments'
import { DeploymentPage } from './pages/deployment'
import { PlaygroundPage } from './pages/playground'
import { AuditPage } from './pages/audit'
import { AccessPage } from './pages/access'
import { NotFoundPage } from './pages/not-found'

function useSignedIn(): boolean {
  const [signedIn, setSignedIn] = useState(() => getApiKey() !== null)
  useEffect(() => onAuthChange(() => setSignedIn(getApiKey() !== null)), [])
  return signedIn
}

type Route = [pattern: string, render: (p: Record<string, string>) => ReactNode]

const ORG_ROUTES: Route[] = [
  ['/orgs/:orgId', (p) => <ProjectsPage orgId={p['orgId'] ?? ''} />],
  [
    '/orgs/:orgId/projects/:projectId',
    (p) => <ProjectPage orgId={p['orgId'] ?? ''} projectId={p['projectId'] ?? ''} />,
  ],
  [
    '/orgs/:orgId/environments/:environmentId',
    (p) => <EnvironmentPage orgId={p['orgId'] ?? ''} environmentId={p['environmentId'] ?? ''} />,
  ],
  ['/orgs/:orgId/templates', (p) => <TemplatesPage orgId={p['orgId'] ?? ''} />],
  ['/orgs/:orgId/credentials', (p) => <CredentialsPage orgId={p['orgId'] ?? ''} />],
  ['/orgs/:orgId/oidc', (p) => <OidcPage orgId={p['orgId'] ?? ''} />],
  ['/orgs/:orgId/azure', (p) => <AzureSetupPage orgId={p['orgId'] ?? ''} />],
  ['/orgs/:orgId/gcp', (p) => <GcpSetupPage orgId={p['orgId'] ?? ''} />],
  ['/orgs/:orgId/deployments', (p) => <DeploymentsPage orgId={p['orgId'] ?? ''} />],
  [
    '/orgs/:orgId/deployments/:deploymentId',
    (p) => <DeploymentPage orgId={p['orgId'] ?? ''} deploymentId={p['deploymentId'] ?? ''} />,
  ],
  ['/orgs/:orgId/playground', (p) => <PlaygroundPage orgId={p['orgId'] ?? ''} />],
  ['/orgs/:orgId/audit', (p) => <AuditPage orgId={p['orgId'] ?? ''} />],
  ['/orgs/:orgId/access', (p) => <AccessPage orgId={p['orgId'] ?? ''} />],
]

const NAV: Array<[suffix: string, label: string]> = [
  ['', 'Projects'],
  ['/templates', 'Templates'],
  ['/credentials', 'Credentials'],
  ['/oidc', 'OIDC & AWS setup'],
  ['/azure', 'Azure setup'],
  ['/gcp', 'GCP setup'],
  ['/deployments', 'Deployments'],
  ['/playground', 'Trust playground'],
  ['/audit', 'Audit log'],
  ['/access', 'Agents & API keys'],
]

export function App(): ReactNode {
  const signedIn = useSignedIn()
  const location = useLocation()
  useEffect(() => {
    if (!signedIn && location.pathname !== '/sign-in') {
      const next = location.pathname === '/' ? '' : location.pathname
      navigate(next === '' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`, {
        replace: true,
      })
    }
  }, [signedIn, location.pathname])
  if (!signedIn || location.pathname === '/sign-in') {
    return <SignInPage next={location.search.get('next') ?? undefined} />
  }
  return <SignedInShell pathname={location.pathname} />
}

function SignedInShell({ pathname }: { pathname: string }): ReactNode {
  let orgId: string | undefined
  let content: ReactNode = null
  if (pathname === '/' || pathname === '/orgs') content = <OrganizationsPage />
  else {
    for (const [pattern, render] of ORG_ROUTES) {
      const params = match(pattern, pathname)
      if (params !== null) {
        orgId = params['orgId']
        content = render(params)
        break
      }
    }
    if (content === null) content = <NotFoundPage />
  }
  const [navOpen, setNavOpen] = useState(false)
  useEffect(() => setNavOpen(false), [pathname])
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand" aria-label="keyless home">
          <BrandMark />
          keyless
        </Link>
        {orgId === undefined ? null : <OrgSwitcher orgId={orgId} />}
        <div className="topbar-end">
          {orgId === undefined ? null : (
            <button
              type="button"
              className="button secondary small nav-toggle"
              aria-expanded={navOpen}
              aria-controls="org-nav"
              onClick={() => setNavOpen((o) => !o)}
            >
              Menu
            </button>
          )}
          <button
            type="button"
            className="button secondary small"
            onClick={() => {
              clearApiKey()
              navigate('/sign-in')
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <div className={orgId === undefined ? 'layout no-nav' : 'layout'}>
        {orgId === undefined ? null : (
          <nav
            id="org-nav"
            className={navOpen ? 'sidenav open' : 'sidenav'}
            aria-label="Organization"
          >
            <ul>
              {NAV.map(([suffix, label]) => {
                const to = `/orgs/${enc(orgId)}${suffix}`
                const active =
                  suffix === ''
                    ? pathname === to ||
                      pathname.startsWith(`${to}/projects`) ||
                      pathname.startsWith(`${to}/environments`)
                    : pathname.startsWith(to)
                return (
                  <li key={suffix}>
                    <Link to={to} aria-current={active ? 'page' : undefined}>
                      {label}
                    </Link>
                  </li>
                )
              })}
            </ul>
          </nav>
        )}
        <main id="main" className="main" tabIndex={-1}>
          {content}
        </main>
      </div>
    </div>
  )
}

function OrgSwitcher({ orgId }: { orgId: string }): ReactNode {
  const [state] = useAsync((signal) => api.get<Page<Organization>>('/organizations', signal), [])
  const orgs = state.status === 'ready' ? state.data.items : []
  if (orgs.length <= 1) {
    const name = orgs[0]?.name
    return name === undefined ? null : <span className="org-name">{name}</span>
  }
  return (
    <label className="org-switcher">
      <span className="visually-hidden">Organization</span>
      <select value={orgId} onChange={(e) => navigate(`/orgs/${enc(e.target.value)}`)}>
        {orgs.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </label>
  )
}
